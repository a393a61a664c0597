package io.layerproof.inference.shard;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.hook.LayerOverride;
import io.layerproof.inference.layers.DecoderLayer;
import io.layerproof.inference.layers.Linear;
import io.layerproof.inference.layers.Parameters;
import io.layerproof.inference.layers.RmsNorm;
import io.layerproof.inference.layers.RotaryEmbedding;
import io.layerproof.inference.layers.TokenEmbedding;
import io.layerproof.inference.model.DjlRuntime;
import io.layerproof.inference.model.LlamaConfig;
import io.layerproof.inference.model.LlamaModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Layers {@code [startLayer, endLayer)} of a model, loaded on their own: the first shard also holds
 * the token embedding, the last the final norm and the LM head. A forward step takes one frame in
 * and gives one frame out (see {@link HiddenStateFrame}).
 */
public final class Shard implements AutoCloseable {

  private final LlamaConfig config;
  private final int startLayer;
  private final int endLayer;
  private final ShardOptions options;
  private final NDManager manager;
  private final TokenEmbedding embedding;
  private final List<DecoderLayer> layers;
  private final RmsNorm finalNorm;
  private final Linear lmHead;
  private final RotaryEmbedding rope;
  private final ShardMemory memory;
  private final LayerOverride override;

  private Shard(
      LlamaConfig config,
      int startLayer,
      int endLayer,
      ShardOptions options,
      NDManager manager,
      TokenEmbedding embedding,
      List<DecoderLayer> layers,
      RmsNorm finalNorm,
      Linear lmHead,
      ShardMemory memory,
      LayerOverride override) {
    this.config = config;
    this.startLayer = startLayer;
    this.endLayer = endLayer;
    this.options = options;
    this.manager = manager;
    this.embedding = embedding;
    this.layers = layers;
    this.finalNorm = finalNorm;
    this.lmHead = lmHead;
    this.rope = RotaryEmbedding.of(config);
    this.memory = memory;
    this.override = override;
  }

  public static Shard load(LlamaModel model, int startLayer, int endLayer) {
    return load(model, startLayer, endLayer, ShardOptions.DEFAULT);
  }

  /** Loads only the tensors of layers {@code [startLayer, endLayer)} (and embedding/head). */
  public static Shard load(LlamaModel model, int startLayer, int endLayer, ShardOptions options) {
    return load(model, startLayer, endLayer, options, LayerOverride.NONE, true);
  }

  /**
   * Like {@link #load(LlamaModel, int, int, ShardOptions)}, with every layer's output passed
   * through {@code override} before it is hooked and used: a provider that cheats, for tests and
   * demos only.
   */
  public static Shard load(
      LlamaModel model,
      int startLayer,
      int endLayer,
      ShardOptions options,
      LayerOverride override) {
    return load(model, startLayer, endLayer, options, override, true);
  }

  /**
   * Layers {@code [startLayer, endLayer)} (and the embedding when {@code startLayer} is 0) but
   * never the final norm and LM head: {@link #forward} always returns hidden states, even after the
   * model's last layer. This is how a verifier re-executes sampled layers: a fresh session fed all
   * positions at once runs them prefill-style.
   */
  public static Shard loadLayers(
      LlamaModel model, int startLayer, int endLayer, ShardOptions options) {
    return load(model, startLayer, endLayer, options, LayerOverride.NONE, false);
  }

  private static Shard load(
      LlamaModel model,
      int startLayer,
      int endLayer,
      ShardOptions options,
      LayerOverride override,
      boolean withHead) {
    Objects.requireNonNull(override, "override");
    LlamaConfig c = model.config();
    if (startLayer < 0 || endLayer > c.numLayers() || startLayer >= endLayer) {
      throw new IllegalArgumentException(
          "layer range ["
              + startLayer
              + ", "
              + endLayer
              + ") is not a non-empty range within the model's "
              + c.numLayers()
              + " layers");
    }
    DjlRuntime.ensureOffline();
    NDManager manager = NDManager.newBaseManager();
    try {
      synchronized (model) {
        long readBefore = model.weights().bytesRead();
        Parameters p = new Parameters(manager, model.weights());
        long vocab = c.vocabSize();
        long hidden = c.hiddenSize();
        TokenEmbedding embedding = null;
        NDArray table = null;
        if (startLayer == 0) {
          table = p.load("model.embed_tokens.weight", vocab, hidden);
          embedding = new TokenEmbedding(table);
        }
        List<DecoderLayer> layers = new ArrayList<>();
        for (int i = startLayer; i < endLayer; i++) {
          layers.add(DecoderLayer.load(p, c, i));
        }
        RmsNorm norm = null;
        Linear head = null;
        if (withHead && endLayer == c.numLayers()) {
          norm = new RmsNorm(p.load("model.norm.weight", hidden), (float) c.rmsNormEps());
          NDArray headWeight;
          if (c.tieWordEmbeddings() && !model.weights().contains("lm_head.weight")) {
            headWeight = table != null ? table : p.load("model.embed_tokens.weight", vocab, hidden);
          } else {
            headWeight = p.load("lm_head.weight", vocab, hidden);
          }
          head = new Linear(headWeight, null);
        }
        ShardMemory memory =
            new ShardMemory(
                p.names(), p.elements(), p.bytes(), model.weights().bytesRead() - readBefore);
        return new Shard(
            c,
            startLayer,
            endLayer,
            options,
            manager,
            embedding,
            layers,
            norm,
            head,
            memory,
            override);
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public LlamaConfig config() {
    return config;
  }

  public int startLayer() {
    return startLayer;
  }

  public int endLayer() {
    return endLayer;
  }

  public boolean isFirst() {
    return embedding != null;
  }

  public boolean isLast() {
    return lmHead != null;
  }

  public ShardOptions options() {
    return options;
  }

  public ShardMemory memory() {
    return memory;
  }

  /** A fresh KV cache for a job; {@code hook} sees this shard's layers for it. */
  public ShardSession newSession(String jobId, LayerHook hook) {
    return new ShardSession(jobId, hook, manager.newSubManager(), layers.size());
  }

  /**
   * Runs one step: {@code input} must start at the session's position and be token ids for the
   * first shard or hidden states [count, hidden] otherwise. Returns hidden states, or for the last
   * shard the logits after the final position.
   */
  public HiddenStateFrame forward(ShardSession session, HiddenStateFrame input) {
    return step(session, input, false);
  }

  /**
   * Like {@link #forward}, but for the last position only: the shard's last layer computes its
   * output at that position alone (see {@link DecoderLayer#forwardLastRow}), while still caching
   * the keys and values of every position, so the session advances as after {@link #forward}.
   * Returns the hidden states of that one position, a frame of one row starting there, or for the
   * last shard the same logits as {@link #forward}. The hook sees that layer's output at that
   * position only, and an override is given that layer's input and output at it. This is how a
   * verifier re-executes a sampled layer at one position: a fresh session fed positions {@code
   * 0..t}.
   */
  public HiddenStateFrame forwardLastRow(ShardSession session, HiddenStateFrame input) {
    return step(session, input, true);
  }

  private HiddenStateFrame step(ShardSession session, HiddenStateFrame input, boolean lastRow) {
    session.checkOpen();
    int start = session.position();
    if (input.startPosition() != start) {
      throw new IllegalArgumentException(
          "frame starts at position "
              + input.startPosition()
              + " but job "
              + session.jobId()
              + " is at "
              + start);
    }
    int count = input.rows();
    if ((long) start + count > config.maxPositionEmbeddings()) {
      throw new IllegalArgumentException(
          "positions up to "
              + (start + count)
              + " exceed the model's context of "
              + config.maxPositionEmbeddings());
    }
    LayerHook hook = session.hook();
    boolean hooked = hook.active();
    String job = session.jobId();
    if (hooked) {
      hook.onShardInput(job, start, input.payload());
    }
    try (NDManager step = manager.newSubManager()) {
      NDArray x = isFirst() ? embedding.embed(input.tokenIds(), step) : hidden(input, step);
      NDList tables = rope.tables(start, count, step);
      int rowStart = start; // the position of x's first row
      for (int i = 0; i < layers.size(); i++) {
        DecoderLayer layer = layers.get(i);
        boolean oneRow = lastRow && i == layers.size() - 1;
        try (NDManager scratch = step.newSubManager()) {
          x.attach(scratch);
          NDArray y =
              oneRow
                  ? layer.forwardLastRow(
                      x, session.cache(i), start, tables.get(0), tables.get(1), scratch)
                  : layer.forward(
                      x, session.cache(i), start, tables.get(0), tables.get(1), scratch);
          if (oneRow) {
            rowStart = start + count - 1;
          }
          if (override != LayerOverride.NONE) {
            NDArray in = oneRow ? x.get(new NDIndex("{}:", count - 1)) : x;
            y = override.apply(layer.index(), rowStart, in, y, scratch);
          }
          y.attach(step);
          x = y;
        }
        if (hooked) {
          emit(hook, job, rowStart, layer.index(), x);
        }
      }
      session.advance(count);
      HiddenStateFrame out = isLast() ? logits(x, start + count - 1) : outgoing(x, rowStart);
      if (hooked) {
        hook.onShardOutput(job, out.startPosition(), out.payload());
      }
      return out;
    }
  }

  private NDArray hidden(HiddenStateFrame input, NDManager step) {
    if (input.dtype() == ElementType.INT32) {
      throw new IllegalArgumentException(
          "shard " + startLayer + ".." + endLayer + " is not first and cannot take token ids");
    }
    int[] shape = input.shape();
    if (shape.length != 2 || shape[1] != config.hiddenSize()) {
      throw new IllegalArgumentException(
          "shard "
              + startLayer
              + ".."
              + endLayer
              + " expects hidden states [n, "
              + config.hiddenSize()
              + "], got "
              + input.dtype()
              + Arrays.toString(shape));
    }
    ByteBuffer data =
        ByteBuffer.allocateDirect(input.payload().data().length).order(ByteOrder.nativeOrder());
    data.put(input.payload().data()).flip();
    Shape s = new Shape(shape[0], shape[1]);
    return input.dtype() == ElementType.FP16
        ? step.create(data, s, DataType.FLOAT16).toType(DataType.FLOAT32, false)
        : step.create(data, s, DataType.FLOAT32);
  }

  private HiddenStateFrame logits(NDArray x, int lastPosition) {
    long rows = x.getShape().get(0);
    NDArray last = x.get(rows - 1).reshape(1, config.hiddenSize());
    float[] logits = lmHead.apply(finalNorm.apply(last)).toFloatArray();
    return new HiddenStateFrame(
        lastPosition, new Activation(ElementType.FP32, new int[] {logits.length}, bytes(logits)));
  }

  private HiddenStateFrame outgoing(NDArray x, int start) {
    return new HiddenStateFrame(start, toActivation(x, options.wireType()));
  }

  private void emit(LayerHook hook, String job, int start, int layer, NDArray x) {
    Activation all = toActivation(x, options.hookType());
    int rows = all.shape()[0];
    int rowBytes = all.data().length / rows;
    int[] rowShape = {config.hiddenSize()};
    for (int r = 0; r < rows; r++) {
      byte[] row = Arrays.copyOfRange(all.data(), r * rowBytes, (r + 1) * rowBytes);
      hook.onLayerOutput(job, start + r, layer, new Activation(all.dtype(), rowShape, row));
    }
  }

  private static Activation toActivation(NDArray x, ElementType type) {
    int[] shape = Arrays.stream(x.getShape().getShape()).mapToInt(Math::toIntExact).toArray();
    if (type == ElementType.FP16) {
      try (NDArray half = x.toType(DataType.FLOAT16, true)) {
        return new Activation(type, shape, half.toByteArray());
      }
    }
    return new Activation(type, shape, x.toByteArray());
  }

  private static byte[] bytes(float[] values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    return buf.array();
  }

  @Override
  public void close() {
    manager.close();
  }
}
