package io.layerproof.inference.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * DJL must run offline here: the PyTorch native library ships in pytorch-native-cpu, and online
 * mode would try to download it (and DJL's telemetry would call out). Every entry point calls
 * {@link #ensureOffline} before DJL loads, so a node started without {@code -Dai.djl.offline=true}
 * still behaves.
 */
public final class DjlRuntime {

  private DjlRuntime() {}

  public static void ensureOffline() {
    if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  /** Sets PyTorch's intra-op thread count for the whole process (torch.set_num_threads). */
  public static void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    ensureOffline();
    Engine.getEngine("PyTorch");
    JniUtils.setNumThreads(threads);
  }

  /** PyTorch's current intra-op thread count. */
  public static int threads() {
    ensureOffline();
    Engine.getEngine("PyTorch");
    return JniUtils.getNumThreads();
  }
}
