package io.layerproof.node.cli;

import io.layerproof.inference.model.LlamaConfig;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.model.RopeScaling;
import io.layerproof.inference.model.TensorInfo;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import io.layerproof.inference.synth.SynthSpec;
import io.layerproof.inference.synth.SyntheticModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code layerproof model}: synthetic models and model folders. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Generates synthetic models and describes model folders.",
    subcommands = {ModelCommand.Synth.class, ModelCommand.Info.class})
public final class ModelCommand implements Runnable {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code layerproof model synth}: a deterministic Llama model in Hugging Face layout. */
  @Command(
      name = "synth",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Writes a deterministic synthetic Llama model (config.json, model.safetensors,"
            + " tokenizer.json) that loads like a Hugging Face checkpoint. The same options always"
            + " give byte-identical files. Omitted shape options take the devnet model's values.",
        "Nothing is downloaded."
      })
  static final class Synth implements Callable<Integer> {
    private static final SynthSpec D = DefaultModel.SPEC;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--layers", description = "Decoder layers (default: 8).")
    Integer layers;

    @Option(names = "--hidden", description = "Hidden size (default: 512).")
    Integer hidden;

    @Option(names = "--heads", description = "Attention (query) heads (default: 8).")
    Integer heads;

    @Option(names = "--kv-heads", description = "Key/value heads, for GQA (default: 4).")
    Integer kvHeads;

    @Option(
        names = "--intermediate",
        description = "MLP size (default: about 8/3 of hidden, a multiple of 64).")
    Integer intermediate;

    @Option(names = "--vocab", description = "Vocabulary size, at least 258 (default: 512).")
    Integer vocab;

    @Option(names = "--seed", description = "Weight seed (default: 20260101).")
    Long seed;

    @Option(
        names = "--max-positions",
        defaultValue = "2048",
        description = "Context length (default: ${DEFAULT-VALUE}).")
    int maxPositions;

    @Option(
        names = "--rope-scaling",
        defaultValue = "none",
        description = "none or llama3 (factor 8 over the first quarter of the context).")
    String ropeScaling;

    @Option(names = "--tie-embeddings", description = "Share the LM head with the embeddings.")
    boolean tie;

    @Option(
        names = "--files",
        defaultValue = "1",
        description = "Safetensors files; more than 1 also writes the index (default: 1).")
    int files;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--force", description = "Replace the output folder if it has content.")
    boolean force;

    @Override
    public Integer call() {
      PrintWriter w = spec.commandLine().getOut();
      SynthSpec s =
          new SynthSpec(
              or(layers, D.layers()),
              or(hidden, D.hiddenSize()),
              or(heads, D.heads()),
              or(kvHeads, D.kvHeads()),
              or(intermediate, 0),
              or(vocab, D.vocabSize()),
              seed == null ? D.seed() : seed,
              maxPositions,
              D.ropeTheta(),
              rope(ropeScaling, maxPositions),
              tie,
              files);
      long start = System.nanoTime();
      try (SynthProgress bar = SynthProgress.console("synth")) {
        SyntheticModel.generate(s, out, force, bar);
      }
      LlamaConfig c = s.config();
      w.printf(
          "wrote %s: %d layers, hidden %d, %d/%d heads, intermediate %d, vocab %d, seed %d,"
              + " in %.1f s%n",
          out.toAbsolutePath(),
          c.numLayers(),
          c.hiddenSize(),
          c.numHeads(),
          c.numKvHeads(),
          c.intermediateSize(),
          c.vocabSize(),
          s.seed(),
          (System.nanoTime() - start) / 1e9);
      w.flush();
      return 0;
    }

    private static int or(Integer v, int fallback) {
      return v == null ? fallback : v;
    }

    private static RopeScaling rope(String name, int maxPositions) {
      return switch (name) {
        case "none" -> null;
        case "llama3" -> RopeScaling.llama3(8.0, Math.max(1, maxPositions / 4));
        default ->
            throw new IllegalArgumentException(
                "--rope-scaling must be none or llama3, got " + name);
      };
    }
  }

  /** {@code layerproof model info DIR}: what a model folder holds. */
  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Checks a Hugging Face model folder and prints its shape and size.")
  static final class Info implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The model folder.")
    Path dir;

    @Override
    public Integer call() {
      PrintWriter w = spec.commandLine().getOut();
      try (LlamaModel m = LlamaModel.open(dir)) {
        LlamaConfig c = m.config();
        long params = 0;
        for (String name : m.weights().names()) {
          TensorInfo t = m.weights().info(name);
          params += t.elementCount();
        }
        w.printf("model       %s (%s)%n", dir.toAbsolutePath(), c.modelType());
        w.printf(
            "layers      %d, hidden %d, heads %d (kv %d, dim %d), intermediate %d%n",
            c.numLayers(),
            c.hiddenSize(),
            c.numHeads(),
            c.numKvHeads(),
            c.headDim(),
            c.intermediateSize());
        w.printf("vocabulary  %d, context %d%n", c.vocabSize(), c.maxPositionEmbeddings());
        w.printf(
            "rope        theta %.0f, scaling %s%n",
            c.ropeTheta(), c.ropeScaling() == null ? "none" : c.ropeScaling().type());
        w.printf("parameters  %,d in %d tensors%n", params, m.weights().names().size());
        w.printf("tokenizer   %s%n", m.hasTokenizer() ? "tokenizer.json" : "missing");
      }
      w.flush();
      return 0;
    }
  }
}
