package io.layerproof.inference;

import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import io.layerproof.inference.synth.SynthSpec;
import java.nio.file.Path;

/** Tiny synthetic models, generated once into target/ and reused by every test run. */
public final class TestModels {

  /** 6 layers (so 4 shards split unevenly), GQA 4:2, hidden 64, 320 ids. */
  public static final SynthSpec TINY = SynthSpec.of(6, 64, 4, 2, 320, 7);

  /** The same shape written as three safetensors files with an index. */
  public static final SynthSpec TINY_SHARDED = TINY.withFiles(3);

  private TestModels() {}

  public static synchronized Path folder(SynthSpec spec) {
    Path dir =
        Path.of("target", "test-models", "m" + Integer.toHexString(spec.hashCode()))
            .toAbsolutePath();
    return DefaultModel.ensure(dir, spec, SynthProgress.NONE);
  }

  public static Path tiny() {
    return folder(TINY);
  }
}
