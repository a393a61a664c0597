package io.layerproof.node.cli;

import io.layerproof.node.bench.InferenceBenchOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model} option every model bench takes, with its default. */
final class BenchModelOption {

  @Option(
      names = "--model",
      description = "Model folder (default: the devnet's default model under .layerproof/).")
  Path model;

  /** The folder named, or the devnet's default model folder. */
  Path dir() {
    return model != null ? model : InferenceBenchOptions.defaultModelDir();
  }
}
