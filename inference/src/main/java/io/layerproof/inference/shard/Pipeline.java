package io.layerproof.inference.shard;

import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.model.LlamaConfig;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.model.TextTokenizer;
import io.layerproof.inference.sampling.Generation;
import io.layerproof.inference.sampling.Generator;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * N shards covering a model's layers in order, run in one JVM. Frames between stages go through
 * {@link FrameCodec} exactly as they would over a network, so one shard gives the same tokens as
 * any split.
 */
public final class Pipeline implements AutoCloseable {

  private final List<Shard> stages;
  private final boolean owned;

  private Pipeline(List<Shard> stages, boolean owned) {
    this.stages = List.copyOf(stages);
    this.owned = owned;
  }

  /** A pipeline over shards the caller keeps owning; they must tile the model's layers. */
  public static Pipeline of(List<Shard> stages) {
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("a pipeline needs at least one shard");
    }
    LlamaConfig c = stages.get(0).config();
    int next = 0;
    for (Shard s : stages) {
      if (s.startLayer() != next) {
        throw new IllegalArgumentException(
            "shards must be contiguous: expected one starting at layer "
                + next
                + ", got "
                + s.startLayer()
                + ".."
                + s.endLayer());
      }
      next = s.endLayer();
    }
    if (next != c.numLayers()) {
      throw new IllegalArgumentException(
          "shards end at layer " + next + " but the model has " + c.numLayers());
    }
    return new Pipeline(stages, false);
  }

  /** Loads {@code count} shards of near-equal size; the pipeline owns and closes them. */
  public static Pipeline load(LlamaModel model, int count, ShardOptions options) {
    List<Shard> shards = new ArrayList<>();
    try {
      for (int[] r : split(model.config().numLayers(), count)) {
        shards.add(Shard.load(model, r[0], r[1], options));
      }
    } catch (RuntimeException e) {
      shards.forEach(Shard::close);
      throw e;
    }
    of(shards);
    return new Pipeline(shards, true);
  }

  /** Layer ranges [start, end) for {@code count} stages, the earlier ones one larger if uneven. */
  public static List<int[]> split(int layers, int count) {
    if (count < 1 || count > layers) {
      throw new IllegalArgumentException(
          "cannot split " + layers + " layers into " + count + " shards");
    }
    List<int[]> ranges = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < count; i++) {
      int size = layers / count + (i < layers % count ? 1 : 0);
      ranges.add(new int[] {start, start + size});
      start += size;
    }
    return ranges;
  }

  public List<Shard> stages() {
    return Collections.unmodifiableList(stages);
  }

  public LlamaConfig config() {
    return stages.get(0).config();
  }

  /** Opens one session per stage; {@code hooks} has one hook per stage (or is empty). */
  public Session open(String jobId, List<LayerHook> hooks) {
    if (!hooks.isEmpty() && hooks.size() != stages.size()) {
      throw new IllegalArgumentException(hooks.size() + " hooks for " + stages.size() + " stages");
    }
    List<ShardSession> sessions = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      sessions.add(
          stages.get(i).newSession(jobId, hooks.isEmpty() ? LayerHook.NONE : hooks.get(i)));
    }
    return new Session(sessions);
  }

  /** Runs a whole generation for {@code jobId}; the tokenizer (may be null) gives text. */
  public Generation generate(
      String jobId,
      int[] prompt,
      SamplingParams params,
      TextTokenizer tokenizer,
      TokenListener listener,
      List<LayerHook> hooks) {
    LlamaConfig c = config();
    try (Session session = open(jobId, hooks)) {
      return Generator.run(
          session::forward,
          prompt,
          params,
          tokenizer,
          c.eosTokenIds(),
          c.maxPositionEmbeddings(),
          listener);
    }
  }

  @Override
  public void close() {
    if (owned) {
      stages.forEach(Shard::close);
    }
  }

  /** A job's sessions on every stage. */
  public final class Session implements AutoCloseable {
    private final List<ShardSession> sessions;
    private long frameBytes;

    private Session(List<ShardSession> sessions) {
      this.sessions = sessions;
    }

    /** Tokens at the next positions through every stage; returns the logits after the last. */
    public float[] forward(int[] tokens) {
      HiddenStateFrame frame = HiddenStateFrame.tokens(sessions.get(0).position(), tokens);
      for (int i = 0; i < stages.size(); i++) {
        frame = stages.get(i).forward(sessions.get(i), frame);
        if (i < stages.size() - 1) {
          byte[] wire = FrameCodec.encode(frame);
          frameBytes += wire.length;
          frame = FrameCodec.decode(wire);
        }
      }
      return frame.floats();
    }

    /** Bytes of hidden-state frames passed between stages so far. */
    public long frameBytes() {
      return frameBytes;
    }

    @Override
    public void close() {
      sessions.forEach(ShardSession::close);
    }
  }
}
