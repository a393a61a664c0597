package io.layerproof.verifier.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.verifier.commit.FrameReveal;
import io.layerproof.verifier.commit.Reveal;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.reveal.RevealRequest;
import io.layerproof.verifier.reveal.RevealResponse;
import io.layerproof.verifier.reveal.SampleReveal;
import io.layerproof.verifier.sampling.Sample;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The codec over random messages: whatever encodes decodes to the same bytes, and arbitrary damage
 * to a valid message (flipped, inserted, deleted bytes) is either still a message or refused with
 * {@link MalformedRevealException}, never any other exception and never an allocation beyond the
 * limits (the limits here are small, so an unchecked length would throw or run out of memory).
 */
class RevealCodecPropertiesTest {

  private static final RevealLimits SMALL = new RevealLimits(8, 64, 8, 64 * 1024);

  @Property(tries = 300)
  void randomRequestsRoundTrip(@ForAll long seed) {
    RevealRequest r = randomRequest(new Random(seed));
    byte[] wire = RevealCodec.encode(r);
    assertEquals(r, RevealCodec.decodeRequest(wire, SMALL));
  }

  @Property(tries = 300)
  void randomResponsesRoundTrip(@ForAll long seed) {
    RevealResponse r = randomResponse(new Random(seed));
    byte[] wire = RevealCodec.encode(r);
    RevealResponse back = RevealCodec.decodeResponse(wire, SMALL);
    assertArrayEquals(wire, RevealCodec.encode(back));
    assertEquals(r.byteSize(), back.byteSize());
  }

  @Property(tries = 1000)
  void damagedMessagesAreDecodedOrRefusedCleanly(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int damages) {
    Random rnd = new Random(seed);
    boolean request = rnd.nextInt(3) == 0;
    byte[] wire =
        request ? RevealCodec.encode(randomRequest(rnd)) : RevealCodec.encode(randomResponse(rnd));
    List<Byte> bytes = new ArrayList<>();
    for (byte b : wire) {
      bytes.add(b);
    }
    for (int i = 0; i < damages && !bytes.isEmpty(); i++) {
      int at = rnd.nextInt(bytes.size());
      switch (rnd.nextInt(4)) {
        case 0 -> bytes.set(at, (byte) rnd.nextInt(256));
        case 1 -> bytes.add(at, (byte) rnd.nextInt(256));
        case 2 -> bytes.remove(at);
        // A length field blown up: the bytes most likely to trick an unchecked decoder.
        default -> bytes.set(at, (byte) 0xff);
      }
    }
    byte[] damaged = new byte[bytes.size()];
    for (int i = 0; i < damaged.length; i++) {
      damaged[i] = bytes.get(i);
    }
    try {
      if (request) {
        RevealCodec.decodeRequest(damaged, SMALL);
      } else {
        RevealCodec.decodeResponse(damaged, SMALL);
      }
    } catch (MalformedRevealException expected) {
      // refused with a reason: fine
    }
  }

  static RevealRequest randomRequest(Random rnd) {
    int start = rnd.nextInt(4);
    Set<Sample> samples = new LinkedHashSet<>();
    int n = 1 + rnd.nextInt(SMALL.maxSamples());
    while (samples.size() < n) {
      samples.add(new Sample(rnd.nextInt(SMALL.maxPositions()), start + rnd.nextInt(4)));
    }
    return new RevealRequest(jobId(rnd), start, new ArrayList<>(samples));
  }

  static RevealResponse randomResponse(Random rnd) {
    String job = jobId(rnd);
    int start = rnd.nextInt(4);
    List<SampleReveal> reveals = new ArrayList<>();
    int n = rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      Sample s = new Sample(rnd.nextInt(6), start + rnd.nextInt(3));
      Reveal out = rnd.nextInt(5) == 0 ? null : reveal(rnd, job, start, s.position(), s.layer());
      List<Reveal> inputs = new ArrayList<>();
      List<FrameReveal> frames = new ArrayList<>();
      if (rnd.nextBoolean()) {
        for (int p = 0; p <= s.position(); p++) {
          inputs.add(reveal(rnd, job, start, p, s.layer() - 1));
        }
      } else {
        for (int f = 0; f < 1 + rnd.nextInt(3); f++) {
          frames.add(frame(rnd, job, start, FrameReveal.Side.INPUT, f));
        }
      }
      FrameReveal sent =
          rnd.nextBoolean() ? frame(rnd, job, start, FrameReveal.Side.OUTPUT, i) : null;
      reveals.add(new SampleReveal(s, out, inputs, frames, sent));
    }
    return new RevealResponse(job, start, reveals);
  }

  static String jobId(Random rnd) {
    String[] parts = {"job", "0x", "\u00e9", "\u4e2d", "\ud83d\ude00", "-", "7"};
    StringBuilder b = new StringBuilder();
    int n = 1 + rnd.nextInt(10);
    for (int i = 0; i < n; i++) {
      b.append(parts[rnd.nextInt(parts.length)]);
    }
    return b.toString();
  }

  static Reveal reveal(Random rnd, String job, int start, int position, int layer) {
    return new Reveal(job, start, position, layer, activation(rnd, false), hash(rnd), proof(rnd));
  }

  static FrameReveal frame(Random rnd, String job, int start, FrameReveal.Side side, int index) {
    return new FrameReveal(
        job, start, side, index, rnd.nextInt(6), activation(rnd, true), hash(rnd), proof(rnd));
  }

  static Activation activation(Random rnd, boolean frame) {
    ElementType t = ElementType.values()[rnd.nextInt(ElementType.values().length)];
    int[] shape =
        frame ? new int[] {1 + rnd.nextInt(3), rnd.nextInt(5)} : new int[] {rnd.nextInt(9)};
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    byte[] data = new byte[n * t.bytes()];
    rnd.nextBytes(data);
    return new Activation(t, shape, data);
  }

  static byte[] hash(Random rnd) {
    byte[] h = new byte[32];
    rnd.nextBytes(h);
    return h;
  }

  static List<byte[]> proof(Random rnd) {
    List<byte[]> p = new ArrayList<>();
    for (int i = rnd.nextInt(SMALL.maxProofDepth() + 1); i > 0; i--) {
      p.add(hash(rnd));
    }
    return p;
  }
}
