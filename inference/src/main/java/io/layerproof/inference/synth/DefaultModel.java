package io.layerproof.inference.synth;

import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.model.WeightIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The devnet's model: 8 layers, hidden 512, 8 query and 4 key/value heads (so GQA is exercised), a
 * 512-id byte-level vocabulary: 23.3 M parameters, 93 MB of float32. Written in under a second;
 * decodes at about 80 tokens/s on 2 cores.
 */
public final class DefaultModel {

  public static final SynthSpec SPEC = SynthSpec.of(8, 512, 8, 4, 512, 20_260_101L);

  private DefaultModel() {}

  /**
   * Returns {@code folder} holding the default model, generating it first unless it is already
   * there (same spec). A folder with other content is left alone and refused.
   */
  public static Path ensure(Path folder, SynthProgress progress) {
    return ensure(folder, SPEC, progress);
  }

  /** Like {@link #ensure(Path, SynthProgress)} for any spec. */
  public static Path ensure(Path folder, SynthSpec spec, SynthProgress progress) {
    try {
      Path specFile = folder.resolve(SyntheticModel.SPEC_FILE);
      String wanted = SyntheticModel.specJson(spec);
      if (Files.exists(specFile)) {
        boolean complete =
            Files.exists(folder.resolve(LlamaModel.CONFIG_FILE))
                && (Files.exists(folder.resolve(WeightIndex.SINGLE_FILE))
                    || Files.exists(folder.resolve(WeightIndex.INDEX_FILE)));
        if (complete && Files.readString(specFile).equals(wanted)) {
          return folder;
        }
        // Ours, but another spec or damaged: regenerate in place.
        SyntheticModel.generate(spec, folder, true, progress);
        return folder;
      }
      SyntheticModel.generate(spec, folder, false, progress);
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the model in " + folder, e);
    }
  }
}
