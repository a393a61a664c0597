package io.layerproof.node.stage;

import io.layerproof.inference.model.LlamaConfig;
import io.layerproof.inference.model.TextTokenizer;
import io.layerproof.inference.sampling.Generation;
import io.layerproof.inference.sampling.Generator;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.inference.shard.FrameCodec;
import io.layerproof.inference.shard.HiddenStateFrame;
import io.layerproof.node.jobs.JobPipeline;
import io.layerproof.p2p.P2pNetwork;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.multiaddr.Multiaddr;
import io.layerproof.verifier.reexec.CommittedShard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a job through shards on other nodes: every step's frame goes to the first stage over
 * libp2p, its output to the next, and the last stage's logits come back to the sampler here.
 * Afterwards each stage is asked for its commitment, which must cover the layers it was assigned.
 * If anything fails the stages are told to drop the job, and the failure is thrown.
 *
 * <p>The driver relays between stages (a star, not a chain) so that it holds every boundary frame
 * the stages exchanged; stages never need to reach each other.
 */
public final class RemotePipeline implements JobPipeline {

  private static final Logger log = LoggerFactory.getLogger(RemotePipeline.class);

  /** A stage: where the provider listens (with its peer id) and the layers it serves. */
  public record Stage(Multiaddr address, int startLayer, int endLayer) {
    public Stage {
      Objects.requireNonNull(address, "address");
      address.peerId().orElseThrow(() -> new IllegalArgumentException("address names no peer"));
      if (startLayer < 0 || endLayer <= startLayer) {
        throw new IllegalArgumentException("bad layer range " + startLayer + ".." + endLayer);
      }
    }

    PeerId peer() {
      return address.peerId().orElseThrow();
    }
  }

  private final P2pNetwork network;
  private final List<Stage> stages;
  private final LlamaConfig config;
  private final Duration stepTimeout;
  private final AtomicLong frameBytes = new AtomicLong();

  /**
   * @param stages in layer order, tiling {@code config}'s layers
   * @param stepTimeout how long one stage may take for one request
   */
  public RemotePipeline(
      P2pNetwork network, List<Stage> stages, LlamaConfig config, Duration stepTimeout) {
    this.network = Objects.requireNonNull(network, "network");
    this.stages = List.copyOf(stages);
    this.config = Objects.requireNonNull(config, "config");
    this.stepTimeout = Objects.requireNonNull(stepTimeout, "stepTimeout");
    int next = 0;
    for (Stage s : this.stages) {
      if (s.startLayer() != next) {
        throw new IllegalArgumentException("stages must tile the layers from 0 in order");
      }
      next = s.endLayer();
    }
    if (next != config.numLayers()) {
      throw new IllegalArgumentException(
          "stages end at layer " + next + " but the model has " + config.numLayers());
    }
  }

  /** Bytes of frames sent to and received from stages so far. */
  public long frameBytes() {
    return frameBytes.get();
  }

  @Override
  public Run run(
      String jobId,
      int[] prompt,
      SamplingParams params,
      TextTokenizer tokenizer,
      TokenListener listener) {
    for (Stage s : stages) {
      await(network.connect(s.address()), "connect to " + s.peer());
    }
    int[] position = {0};
    Generator.Step step =
        tokens -> {
          byte[] wire = FrameCodec.encode(HiddenStateFrame.tokens(position[0], tokens));
          for (Stage s : stages) {
            frameBytes.addAndGet(wire.length);
            wire = call(s, StageWire.forward(jobId, wire));
            frameBytes.addAndGet(wire.length);
          }
          position[0] += tokens.length;
          return logits(wire);
        };
    try {
      Generation g =
          Generator.run(
              step,
              prompt,
              params,
              tokenizer,
              config.eosTokenIds(),
              config.maxPositionEmbeddings(),
              listener);
      List<CommittedShard> committed = new ArrayList<>();
      for (Stage s : stages) {
        CommittedShard c = StageWire.decodeCommitment(jobId, call(s, StageWire.finish(jobId)));
        if (c.startLayer() != s.startLayer() || c.endLayer() != s.endLayer()) {
          throw new StageException(
              s.peer() + " committed to layers " + c.startLayer() + ".." + c.endLayer());
        }
        if (c.positions() != position[0]) {
          throw new StageException(
              s.peer() + " committed to " + c.positions() + " positions of " + position[0]);
        }
        committed.add(c);
      }
      return new Run(g, committed);
    } catch (RuntimeException e) {
      abortAll(jobId);
      throw e;
    }
  }

  @Override
  public List<byte[]> attest(
      String jobId, int stage, CommittedShard committed, long nextSeq, int[] tokens) {
    Stage s = stages.get(stage);
    return StageWire.decodeEnvelopes(
        call(s, StageWire.attest(jobId, new StageWire.Attest(stage, nextSeq, tokens))));
  }

  /** The last stage's answer must be the logits over the vocabulary, nothing else. */
  private float[] logits(byte[] wire) {
    HiddenStateFrame frame;
    try {
      frame = FrameCodec.decode(wire);
    } catch (IllegalArgumentException e) {
      throw new StageException("the last stage sent a malformed frame: " + e.getMessage());
    }
    int[] shape = frame.shape();
    if (frame.dtype() == io.layerproof.inference.hook.ElementType.INT32
        || shape.length != 1
        || shape[0] != config.vocabSize()) {
      throw new StageException(
          "the last stage sent " + java.util.Arrays.toString(shape) + ", not logits");
    }
    return frame.floats();
  }

  private byte[] call(Stage s, byte[] request) {
    return await(network.request(s.peer(), StageServer.PROTOCOL, request), "stage " + s.peer());
  }

  private <T> T await(java.util.concurrent.CompletableFuture<T> f, String what) {
    try {
      return f.get(stepTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StageException(what + ": interrupted");
    } catch (ExecutionException e) {
      throw new StageException(what + " failed: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new StageException(what + ": no answer within " + stepTimeout);
    }
  }

  private void abortAll(String jobId) {
    for (Stage s : stages) {
      try {
        network
            .request(s.peer(), StageServer.PROTOCOL, StageWire.abort(jobId))
            .get(stepTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.debug("abort of {} on {} failed: {}", jobId, s.peer(), e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    // The network belongs to the caller.
  }

  /** A stage failed, refused or answered outside what it was assigned. */
  public static final class StageException extends RuntimeException {
    StageException(String message) {
      super(message);
    }
  }
}
