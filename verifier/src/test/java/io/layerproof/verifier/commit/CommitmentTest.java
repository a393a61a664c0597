package io.layerproof.verifier.commit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.inference.shard.FrameCodec;
import io.layerproof.inference.shard.HiddenStateFrame;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.inference.shard.Shard;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.inference.shard.ShardSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommitmentTest {

  private static final LlamaModel model = TinyModel.get();

  /** Runs a greedy job over a 2-stage pipeline and returns each stage's commitment. */
  static List<ShardCommitment> commit(String job, String prompt, ShardOptions options) {
    try (Pipeline p = Pipeline.load(model, 2, options)) {
      List<CommitmentAccumulator> acc = new ArrayList<>();
      for (Shard s : p.stages()) {
        acc.add(new CommitmentAccumulator(job, s.startLayer(), s.endLayer()));
      }
      p.generate(
          job,
          model.tokenizer().encode(prompt, true),
          SamplingParams.greedy(10).withStopAtEos(false),
          null,
          TokenListener.NONE,
          List.copyOf(acc));
      return acc.stream().map(CommitmentAccumulator::finish).toList();
    }
  }

  @Test
  void theSameRunGivesTheSameRootAndAnotherPromptDoesNot() {
    List<ShardCommitment> a = commit("job-a", "commit to this", ShardOptions.DEFAULT);
    List<ShardCommitment> b = commit("job-a", "commit to this", ShardOptions.DEFAULT);
    List<ShardCommitment> c = commit("job-a", "commit to that", ShardOptions.DEFAULT);
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(a.get(i).root(), b.get(i).root(), "stage " + i);
      assertFalse(Arrays.equals(a.get(i).root(), c.get(i).root()), "stage " + i);
    }
    int positions = model.tokenizer().encode("commit to this", true).length + 9;
    assertEquals(positions, a.get(0).positions());
    assertEquals(positions * 3, a.get(1).leaves().size());
    // The job id is inside every leaf: the same computation for another job commits differently.
    List<ShardCommitment> d = commit("job-d", "commit to this", ShardOptions.DEFAULT);
    assertFalse(Arrays.equals(a.get(0).root(), d.get(0).root()));
  }

  @Test
  void eachStageCommitsAsInputWhatThePreviousCommittedAsOutput() {
    for (ElementType wire : List.of(ElementType.FP32, ElementType.FP16)) {
      List<ShardCommitment> s =
          commit("job-b", "boundaries", new ShardOptions(wire, ElementType.FP32));
      assertArrayEquals(s.get(0).outputBoundary(), s.get(1).inputBoundary(), wire.name());
      assertFalse(Arrays.equals(s.get(0).inputBoundary(), s.get(1).inputBoundary()));
    }
  }

  @Test
  void aFrameAlteredInTransitBreaksTheBoundaryChain() {
    try (Shard first = Shard.load(model, 0, 3);
        Shard second = Shard.load(model, 3, 6)) {
      CommitmentAccumulator a = new CommitmentAccumulator("job-t", 0, 3);
      CommitmentAccumulator b = new CommitmentAccumulator("job-t", 3, 6);
      try (ShardSession s1 = first.newSession("job-t", a);
          ShardSession s2 = second.newSession("job-t", b)) {
        int[] prompt = model.tokenizer().encode("in transit", true);
        byte[] wire = FrameCodec.encode(first.forward(s1, HiddenStateFrame.tokens(0, prompt)));
        wire[wire.length - 3] ^= 0x10; // one bit of one hidden value
        second.forward(s2, FrameCodec.decode(wire));
      }
      assertFalse(Arrays.equals(a.finish().outputBoundary(), b.finish().inputBoundary()));
    }
  }

  @Test
  void theAccumulatorRefusesForeignJobsAndGaps() {
    CommitmentAccumulator acc = new CommitmentAccumulator("job-x", 2, 4);
    Activation row = new Activation(ElementType.FP32, new int[] {1}, new byte[4]);
    assertThrows(IllegalArgumentException.class, () -> acc.onLayerOutput("job-y", 0, 2, row));
    assertThrows(IllegalArgumentException.class, () -> acc.onLayerOutput("job-x", 0, 4, row));
    acc.onLayerOutput("job-x", 0, 2, row);
    acc.onLayerOutput("job-x", 1, 3, row);
    assertThrows(IllegalStateException.class, () -> acc.onLayerOutput("job-x", 0, 2, row));
    assertThrows(IllegalStateException.class, acc::finish);
  }
}
