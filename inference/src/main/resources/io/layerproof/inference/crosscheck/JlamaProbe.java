// Runs on Java 21+ with Jlama on the classpath, launched as a single source file by
// io.layerproof.inference.crosscheck.JlamaRunner. Greedy-decodes token-id prompts with Jlama in
// float32 and writes, per prompt, the timings, the tokens and (optionally) every step's logits.
//
// args: modelDir threads newTokens promptsFile outFile [--no-logits]
// promptsFile: one prompt per line, token ids separated by spaces.
// outFile (big-endian): i32 prompts, i32 newTokens, i32 vocab, then per prompt:
//   i64 prefillNanos, i64 decodeNanos, i32 tokens[newTokens], f32 logits[newTokens][vocab]?

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

public class JlamaProbe {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    int newTokens = Integer.parseInt(args[2]);
    List<int[]> prompts =
        Files.readAllLines(Path.of(args[3])).stream()
            .filter(l -> !l.isBlank())
            .map(l -> Arrays.stream(l.trim().split(" ")).mapToInt(Integer::parseInt).toArray())
            .toList();
    boolean withLogits = !(args.length > 5 && args[5].equals("--no-logits"));
    // F32 working memory and no quantisation: the comparison is about the arithmetic.
    AbstractModel m =
        ModelSupport.loadModel(
            dir.toFile(), null, DType.F32, DType.F32, Optional.empty(), Optional.of(threads));
    int vocab = m.getConfig().vocabularySize;
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(Path.of(args[4]))))) {
      out.writeInt(prompts.size());
      out.writeInt(newTokens);
      out.writeInt(vocab);
      for (int[] prompt : prompts) {
        int[] tokens = new int[newTokens];
        float[][] logits = new float[newTokens][];
        long prefill;
        long decode;
        try (KvBufferCache cache = new KvBufferCache(m);
            KvBufferCache.KvBuffer kv = cache.getEphemeralKvBuffer();
            AbstractTensor scratch = m.makeDenseTensor(vocab)) {
          long t0 = System.nanoTime();
          AbstractTensor last = m.batchForward(prompt, 0, kv);
          tokens[0] = m.sample(last.slice(last.shape().first() - 1), 0f, 0f, scratch);
          last.close();
          logits[0] = copy(scratch, vocab, withLogits);
          long t1 = System.nanoTime();
          for (int i = 1; i < newTokens; i++) {
            AbstractTensor h = m.forward(tokens[i - 1], prompt.length + i - 1, kv, Optional.empty());
            tokens[i] = m.sample(h, 0f, 0f, scratch);
            h.close();
            logits[i] = copy(scratch, vocab, withLogits);
          }
          long t2 = System.nanoTime();
          prefill = t1 - t0;
          decode = t2 - t1;
        }
        out.writeLong(prefill);
        out.writeLong(decode);
        for (int t : tokens) {
          out.writeInt(t);
        }
        if (withLogits) {
          for (float[] row : logits) {
            for (float v : row) {
              out.writeFloat(v);
            }
          }
        }
      }
    }
    System.exit(0);
  }

  private static float[] copy(AbstractTensor t, int vocab, boolean keep) {
    if (!keep) {
      return null;
    }
    float[] r = new float[vocab];
    for (int i = 0; i < vocab; i++) {
      r[i] = t.get(0, i);
    }
    return r;
  }
}
