package io.layerproof.verifier.reveal;

import io.layerproof.verifier.commit.FrameReveal;
import io.layerproof.verifier.commit.Reveal;
import io.layerproof.verifier.sampling.Sample;
import java.util.List;

/**
 * Everything needed to re-execute one sampled cell {@code (t, L)} of a shard {@code [s, e)}.
 *
 * @param output the committed output of layer L at position t
 * @param inputs for {@code L > s}: the committed outputs of layer {@code L - 1} at positions {@code
 *     0..t}, in order (the layer's inputs); empty for {@code L == s}
 * @param inputFrames for {@code L == s}: the frames the shard received that cover positions {@code
 *     0..t} (token ids on the first shard, hidden states otherwise), proven against the input
 *     boundary root; empty for {@code L > s}
 * @param outputFrame for {@code L == e - 1} on a shard that is not the model's last: the frame sent
 *     downstream that holds position t, proven against the output boundary root, so a stage cannot
 *     commit one thing and send another; null otherwise
 */
public record SampleReveal(
    Sample sample,
    Reveal output,
    List<Reveal> inputs,
    List<FrameReveal> inputFrames,
    FrameReveal outputFrame) {

  public SampleReveal {
    inputs = List.copyOf(inputs);
    inputFrames = List.copyOf(inputFrames);
  }

  /** Activation, frame, leaf and proof bytes carried. */
  public long byteSize() {
    long n = size(output);
    for (Reveal r : inputs) {
      n += size(r);
    }
    for (FrameReveal f : inputFrames) {
      n += size(f);
    }
    return outputFrame == null ? n : n + size(outputFrame);
  }

  static long size(Reveal r) {
    return r == null ? 0 : r.activation().data().length + 32L * (1 + r.proof().size());
  }

  static long size(FrameReveal f) {
    return f.frame().data().length + 32L * (1 + f.proof().size());
  }
}
