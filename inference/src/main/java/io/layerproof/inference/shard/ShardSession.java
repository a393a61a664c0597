package io.layerproof.inference.shard;

import ai.djl.ndarray.NDManager;
import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.layers.KvCache;

/**
 * One job's state on one shard: its KV caches and the next position. Not thread-safe: one job runs
 * its steps in order.
 */
public final class ShardSession implements AutoCloseable {

  private final String jobId;
  private final LayerHook hook;
  private final NDManager manager;
  private final KvCache[] caches;
  private int position;
  private boolean closed;

  ShardSession(String jobId, LayerHook hook, NDManager manager, int layers) {
    this.jobId = jobId;
    this.hook = hook;
    this.manager = manager;
    this.caches = new KvCache[layers];
    for (int i = 0; i < layers; i++) {
      caches[i] = new KvCache(manager);
    }
  }

  public String jobId() {
    return jobId;
  }

  /** The position the next frame must start at: tokens processed so far. */
  public int position() {
    return position;
  }

  LayerHook hook() {
    return hook;
  }

  KvCache cache(int localLayer) {
    return caches[localLayer];
  }

  void advance(int count) {
    position += count;
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("session for job " + jobId + " is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }
}
