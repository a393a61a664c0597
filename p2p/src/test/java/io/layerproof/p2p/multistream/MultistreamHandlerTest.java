package io.layerproof.p2p.multistream;

import static io.layerproof.p2p.testing.EmbeddedWire.pump;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.p2p.testing.EmbeddedWire.Collector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Both roles on EmbeddedChannels wired back to back, plus fuzzing of the responder. */
class MultistreamHandlerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  static MultistreamHandler.NextStage collectInto(Collector c) {
    return (ctx, protocol) -> ctx.pipeline().addAfter(ctx.name(), "next", c);
  }

  record Pair(
      EmbeddedChannel dialer,
      MultistreamHandler dialerHandler,
      Collector dialerNext,
      EmbeddedChannel listener,
      MultistreamHandler listenerHandler,
      Collector listenerNext) {}

  static Pair negotiate(List<String> proposals, Set<String> supported) {
    Collector dn = new Collector();
    Collector ln = new Collector();
    MultistreamHandler d = MultistreamHandler.initiator(proposals, TIMEOUT, collectInto(dn));
    MultistreamHandler l = MultistreamHandler.responder(supported, TIMEOUT, collectInto(ln));
    EmbeddedChannel dc = new EmbeddedChannel(d);
    EmbeddedChannel lc = new EmbeddedChannel(l);
    pump(dc, lc);
    return new Pair(dc, d, dn, lc, l, ln);
  }

  @Test
  void agreesOnTheFirstProposal() throws Exception {
    Pair p = negotiate(List.of("/noise"), Set.of("/noise", "/tls/1.0.0"));
    assertEquals("/noise", p.dialerHandler().result().get());
    assertEquals("/noise", p.listenerHandler().result().get());
    assertTrue(p.dialer().isOpen() && p.listener().isOpen());
    // Both handlers removed themselves; only the next stage is left.
    assertEquals(null, p.dialer().pipeline().get(MultistreamHandler.class));
    assertEquals(null, p.listener().pipeline().get(MultistreamHandler.class));
    // Bytes written now go straight through to the other side's next stage.
    p.dialer().writeOutbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
    pump(p.dialer(), p.listener());
    assertArrayEquals(new byte[] {1, 2, 3}, p.listenerNext().bytes.toByteArray());
  }

  @Test
  void fallsBackToTheNextProposalOnNa() throws Exception {
    Pair p = negotiate(List.of("/tls/1.0.0", "/unknown", "/noise"), Set.of("/noise"));
    assertEquals("/noise", p.dialerHandler().result().get());
    assertEquals("/noise", p.listenerHandler().result().get());
  }

  @Test
  void failsWithoutACommonProtocol() {
    Pair p = negotiate(List.of("/tls/1.0.0", "/plaintext/2.0.0"), Set.of("/noise"));
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> p.dialerHandler().result().get());
    assertTrue(e.getCause() instanceof MultistreamException);
    assertTrue(e.getCause().getMessage().contains("none of"), e.getCause().getMessage());
    assertFalse(p.dialer().isOpen());
  }

  @Test
  void failsOnAnOversizeMessage() {
    MultistreamHandler l = MultistreamHandler.responder(Set.of("/noise"), TIMEOUT, (c, p) -> {});
    EmbeddedChannel lc = new EmbeddedChannel(l);
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes(MultistreamNegotiator.encodeMessage(MultistreamNegotiator.PROTOCOL_ID));
    in.writeBytes(MultistreamNegotiator.encodeMessage("/" + "x".repeat(1100)));
    lc.writeInbound(Unpooled.wrappedBuffer(in.toByteArray()));
    assertTrue(l.result().isCompletedExceptionally());
    assertFalse(lc.isOpen());
  }

  @Test
  void tooManyProposalsFail() {
    MultistreamHandler l = MultistreamHandler.responder(Set.of("/noise"), TIMEOUT, (c, p) -> {});
    EmbeddedChannel lc = new EmbeddedChannel(l);
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes(MultistreamNegotiator.encodeMessage(MultistreamNegotiator.PROTOCOL_ID));
    for (int i = 0; i <= MultistreamNegotiator.DEFAULT_MAX_PROPOSALS; i++) {
      in.writeBytes(MultistreamNegotiator.encodeMessage("/p" + i));
    }
    lc.writeInbound(Unpooled.wrappedBuffer(in.toByteArray()));
    assertTrue(l.result().isCompletedExceptionally());
    assertFalse(lc.isOpen());
  }

  @Test
  void lsIsAnsweredWithNa() {
    MultistreamNegotiator r = MultistreamNegotiator.responder(Set.of("/noise"));
    r.start();
    byte[] in =
        concat(
            MultistreamNegotiator.encodeMessage(MultistreamNegotiator.PROTOCOL_ID),
            MultistreamNegotiator.encodeMessage("ls"));
    MultistreamNegotiator.Step s = r.receive(in, 0, in.length);
    assertArrayEquals(MultistreamNegotiator.encodeMessage("na"), s.outgoing());
    assertTrue(s.outcome() instanceof MultistreamNegotiator.Pending);
  }

  @Test
  void timesOut() {
    MultistreamHandler l = MultistreamHandler.responder(Set.of("/noise"), TIMEOUT, (c, p) -> {});
    EmbeddedChannel lc = new EmbeddedChannel(l);
    lc.advanceTimeBy(TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
    lc.runScheduledPendingTasks();
    assertTrue(l.result().isCompletedExceptionally());
    assertFalse(lc.isOpen());
  }

  /** js-libp2p writes the header, the proposal and the next protocol's first frame at once. */
  @Test
  void pipelinedBytesReachTheNextStage() throws Exception {
    Collector next = new Collector();
    MultistreamHandler l =
        MultistreamHandler.responder(Set.of("/noise"), TIMEOUT, collectInto(next));
    EmbeddedChannel lc = new EmbeddedChannel(l);
    byte[] early = "first noise frame".getBytes(StandardCharsets.UTF_8);
    byte[] all =
        concat(
            MultistreamNegotiator.encodeMessage(MultistreamNegotiator.PROTOCOL_ID),
            MultistreamNegotiator.encodeMessage("/noise"),
            early);
    // Split at every position: the remainder must arrive intact wherever the reads break.
    for (int cut = 1; cut < all.length; cut++) {
      Collector n = new Collector();
      MultistreamHandler h =
          MultistreamHandler.responder(Set.of("/noise"), TIMEOUT, collectInto(n));
      EmbeddedChannel c = new EmbeddedChannel(h);
      c.writeInbound(Unpooled.wrappedBuffer(all, 0, cut));
      c.writeInbound(Unpooled.wrappedBuffer(all, cut, all.length - cut));
      assertEquals("/noise", h.result().get());
      assertArrayEquals(early, n.bytes.toByteArray(), "cut at " + cut);
    }
    lc.writeInbound(Unpooled.wrappedBuffer(all));
    assertEquals("/noise", l.result().get());
    assertArrayEquals(early, next.bytes.toByteArray());
    // The responder answered the header and echoed the protocol.
    ByteBuf header = lc.readOutbound();
    ByteBuf echo = lc.readOutbound();
    assertArrayEquals(
        MultistreamNegotiator.encodeMessage(MultistreamNegotiator.PROTOCOL_ID),
        ByteBufUtil.getBytes(header));
    assertArrayEquals(MultistreamNegotiator.encodeMessage("/noise"), ByteBufUtil.getBytes(echo));
    header.release();
    echo.release();
  }

  @Test
  void fuzzRandomBytesIntoTheResponder() {
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      byte[] junk = new byte[random.nextInt(2000)];
      random.nextBytes(junk);
      fuzzOne(junk, random);
    }
  }

  @Test
  void fuzzMutatedTranscriptsIntoTheResponder() {
    Random random = new Random(7);
    byte[] valid =
        concat(
            MultistreamNegotiator.encodeMessage(MultistreamNegotiator.PROTOCOL_ID),
            MultistreamNegotiator.encodeMessage("/tls/1.0.0"),
            MultistreamNegotiator.encodeMessage("/noise"),
            new byte[] {0, 32, 1, 2, 3});
    for (int i = 0; i < 1000; i++) {
      byte[] m = valid.clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        m[random.nextInt(m.length)] = (byte) random.nextInt(256);
      }
      if (random.nextBoolean()) {
        m = java.util.Arrays.copyOf(m, random.nextInt(m.length + 1));
      }
      fuzzOne(m, random);
    }
  }

  private static void fuzzOne(byte[] input, Random random) {
    Collector next = new Collector();
    MultistreamHandler h =
        MultistreamHandler.responder(Set.of("/noise"), TIMEOUT, collectInto(next));
    EmbeddedChannel c = new EmbeddedChannel(h);
    int pos = 0;
    while (pos < input.length && c.isOpen()) {
      int n = Math.min(input.length - pos, 1 + random.nextInt(64));
      c.writeInbound(Unpooled.wrappedBuffer(input, pos, n));
      pos += n;
    }
    c.advanceTimeBy(TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
    c.runScheduledPendingTasks();
    c.checkException(); // nothing escaped the handler
    assertTrue(h.result().isDone());
    if (h.result().isCompletedExceptionally()) {
      assertFalse(c.isOpen());
    } else {
      assertEquals("/noise", h.result().join());
    }
    c.finishAndReleaseAll();
  }

  @Test
  void negotiatorHoldsAtMostOneMessage() {
    MultistreamNegotiator r = MultistreamNegotiator.responder(Set.of("/noise"));
    r.start();
    byte[] header = MultistreamNegotiator.encodeMessage(MultistreamNegotiator.PROTOCOL_ID);
    r.receive(header, 0, header.length);
    byte[] partial = new byte[] {(byte) 0x80, 0x08}; // length 1024, body still to come
    r.receive(partial, 0, partial.length);
    byte[] body = new byte[1000];
    r.receive(body, 0, body.length);
    assertTrue(r.bufferedBytes() <= MultistreamNegotiator.MAX_MESSAGE + 2);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
