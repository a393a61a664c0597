package io.layerproof.verifier.commit;

import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import io.layerproof.inference.synth.SynthSpec;
import java.nio.file.Path;

/** One tiny synthetic model (6 layers, hidden 64), generated into target/ once, shared by tests. */
final class TinyModel {

  static final SynthSpec SPEC = SynthSpec.of(6, 64, 4, 2, 320, 7);
  private static LlamaModel model;

  private TinyModel() {}

  static synchronized LlamaModel get() {
    if (model == null) {
      Path dir = Path.of("target", "test-models", "tiny").toAbsolutePath();
      model = LlamaModel.open(DefaultModel.ensure(dir, SPEC, SynthProgress.NONE));
    }
    return model;
  }
}
