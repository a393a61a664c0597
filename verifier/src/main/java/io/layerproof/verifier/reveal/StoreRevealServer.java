package io.layerproof.verifier.reveal;

import io.layerproof.verifier.commit.ActivationStore;
import io.layerproof.verifier.commit.FrameReveal;
import io.layerproof.verifier.commit.Reveal;
import io.layerproof.verifier.sampling.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An honest provider: answers every request from its {@link ActivationStore}. */
public final class StoreRevealServer implements RevealServer {

  private final ActivationStore store;
  private final RevealLimits limits;

  public StoreRevealServer(ActivationStore store, RevealLimits limits) {
    this.store = store;
    this.limits = limits;
  }

  @Override
  public Optional<RevealResponse> answer(RevealRequest request) {
    limits.check(request);
    ActivationStore.SealedShard shard = store.open(request.jobId(), request.startLayer());
    List<SampleReveal> reveals = new ArrayList<>();
    for (Sample s : request.samples()) {
      int t = s.position();
      int layer = s.layer();
      if (layer >= shard.endLayer() || t >= shard.positions()) {
        throw new IllegalArgumentException(
            "sample "
                + s
                + " is outside shard "
                + shard.startLayer()
                + ".."
                + shard.endLayer()
                + " with "
                + shard.positions()
                + " positions");
      }
      Reveal output = shard.reveal(t, layer);
      List<Reveal> inputs = new ArrayList<>();
      List<FrameReveal> frames = List.of();
      if (layer > shard.startLayer()) {
        for (int p = 0; p <= t; p++) {
          inputs.add(shard.reveal(p, layer - 1));
        }
      } else {
        frames = shard.inputFrames(t);
      }
      FrameReveal outputFrame = layer == shard.endLayer() - 1 ? shard.outputFrame(t) : null;
      reveals.add(new SampleReveal(s, output, inputs, frames, outputFrame));
    }
    return Optional.of(new RevealResponse(request.jobId(), request.startLayer(), reveals));
  }
}
