package io.layerproof.chain.ledger;

import static io.layerproof.chain.event.TestEvents.DOMAIN;
import static io.layerproof.chain.event.TestEvents.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.EnvelopeFormat;
import io.layerproof.chain.event.EventBody;
import io.layerproof.chain.event.EventRejectedException;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.LedgerEvent;
import io.layerproof.chain.event.NodeKey;
import io.layerproof.chain.event.RejectReason;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.event.TokenStreamed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must show 4: malformed JSON, oversized events, bad signatures, wrong chain id, replayed event ids
 * and out-of-order sequence numbers are each refused with a clear reason, and the log is unchanged
 * afterwards (head, head hash, batches, every index).
 */
class BadInputTest {

  @TempDir Path dir;

  private final NodeKey key = TestEvents.nodeKey("producer");
  private final EventSigner signer = new EventSigner(key, DOMAIN, 0);
  private final LedgerEvent token = new TokenStreamed(h("job"), 0, 7);
  private EventLog log;
  private EventIngest ingest;

  @BeforeEach
  void openWithSomeHistory() {
    log = EventLog.open(dir);
    ingest = new EventIngest(LedgerTesting.VERIFIER, log);
    for (int i = 0; i < 5; i++) {
      ingest.ingest(signer.sign(new TokenStreamed(h("job"), i, 100 + i)).toWire());
    }
    log.seal();
    ingest.ingest(signer.sign(token).toWire());
  }

  @AfterEach
  void close() {
    log.close();
  }

  @Test
  void malformedJson() {
    refused(RejectReason.MALFORMED, "{\"body\":".getBytes(StandardCharsets.UTF_8));
    refused(RejectReason.MALFORMED, "[1,2,3]".getBytes(StandardCharsets.UTF_8));
    refused(RejectReason.MALFORMED, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
  }

  @Test
  void oversizedEvents() {
    byte[] padded = new byte[EnvelopeFormat.MAX_ENVELOPE_BYTES + 1];
    java.util.Arrays.fill(padded, (byte) ' ');
    refused(RejectReason.OVERSIZED, padded);
  }

  @Test
  void badSignatures() {
    SignedEvent good = signer.sign(token);
    SignedEvent forged = new EventSigner(TestEvents.nodeKey("forger"), DOMAIN, 0).sign(token);
    EventBody b = forged.body();
    EventBody claimsProducer =
        new EventBody(
            b.version(), b.chainId(), b.contract(), key.id(), good.seq(), b.id(), token, null);
    refused(
        RejectReason.BAD_AUTHOR_SIGNATURE, new SignedEvent(claimsProducer, forged.sig()).toWire());
    // A valid envelope whose signature bytes were altered.
    byte[] wire = good.toWire();
    int lastHex = wire.length - 3;
    wire[lastHex] = (byte) (wire[lastHex] == 'a' ? 'b' : 'a');
    refused(RejectReason.BAD_AUTHOR_SIGNATURE, wire);
  }

  @Test
  void wrongChainIdOrContract() {
    refused(
        RejectReason.WRONG_CHAIN_ID,
        new EventSigner(key, new LedgerDomain(31337, DOMAIN.contract()), signer.nextSeq())
            .sign(token)
            .toWire());
    refused(
        RejectReason.WRONG_CONTRACT,
        new EventSigner(
                key,
                LedgerDomain.of(1337, "0x000000000000000000000000000000000000dead"),
                signer.nextSeq())
            .sign(token)
            .toWire());
  }

  @Test
  void replayedEventIds() {
    IndexedEvent stored = log.get(log.head()).orElseThrow();
    EventRejectedException e = refused(RejectReason.DUPLICATE_EVENT_ID, stored.envelope().toWire());
    assertTrue(e.getMessage().contains("index " + stored.index()), e.getMessage());
    // The same id under a new, correctly numbered body is still a replay.
    EventBody reused =
        new EventBody(
            EnvelopeFormat.VERSION,
            DOMAIN.chainId(),
            DOMAIN.contract(),
            key.id(),
            signer.nextSeq(),
            stored.envelope().id(),
            new TokenStreamed(h("job"), 9, 9),
            null);
    refused(RejectReason.DUPLICATE_EVENT_ID, EventSigner.sign(key, reused).toWire());
  }

  @Test
  void sequenceNumbersOutOfOrder() {
    EventSigner ahead = new EventSigner(key, DOMAIN, signer.nextSeq() + 1);
    EventRejectedException e =
        refused(RejectReason.SEQUENCE_OUT_OF_ORDER, ahead.sign(token).toWire());
    assertTrue(e.getMessage().contains("expects " + signer.nextSeq()), e.getMessage());
    EventSigner behind = new EventSigner(key, DOMAIN, 2);
    refused(RejectReason.SEQUENCE_OUT_OF_ORDER, behind.sign(token).toWire());
  }

  @Test
  void aMixedGroupStoresOnlyTheValidEvents() {
    Map<String, Object> before = observe();
    SignedEvent next = signer.sign(new TokenStreamed(h("job"), 6, 6));
    List<byte[]> wires = new ArrayList<>();
    wires.add("{".getBytes(StandardCharsets.UTF_8));
    wires.add(next.toWire());
    wires.add(next.toWire()); // replay within the group
    wires.add(new EventSigner(key, DOMAIN, 99).sign(token).toWire());
    List<AppendResult> results = ingest.ingestAll(wires);
    assertEquals(
        RejectReason.MALFORMED, ((AppendResult.Rejected) results.get(0)).rejection().reason());
    assertEquals(before.get("head"), ((AppendResult.Appended) results.get(1)).event().index() - 1);
    assertEquals(
        RejectReason.DUPLICATE_EVENT_ID,
        ((AppendResult.Rejected) results.get(2)).rejection().reason());
    assertEquals(
        RejectReason.SEQUENCE_OUT_OF_ORDER,
        ((AppendResult.Rejected) results.get(3)).rejection().reason());
    assertEquals((long) before.get("head") + 1, log.head());
  }

  /** Asserts the rejection reason and that the log did not change at all. */
  private EventRejectedException refused(RejectReason reason, byte[] wire) {
    Map<String, Object> before = observe();
    EventRejectedException e =
        assertThrows(EventRejectedException.class, () -> ingest.ingest(wire));
    assertEquals(reason, e.reason(), e::getMessage);
    assertTrue(e.getMessage().startsWith(reason.name() + ": "), e.getMessage());
    assertEquals(before, observe(), "the log changed after a refused event");
    assertTrue(log.verify().ok());
    return e;
  }

  private Map<String, Object> observe() {
    Map<String, Object> state = new TreeMap<>();
    state.put("head", log.head());
    state.put("headHash", log.headHash());
    state.put("batches", log.batchCount());
    state.put("byJob", log.indicesOfJob(h("job")));
    state.put("byAuthor", log.indicesOfAuthor(key.id()));
    state.put("byNode", log.indicesOfNode(key.id()));
    state.put("byType", log.indicesOfType(TokenStreamed.class));
    state.put("nextSeq", log.nextSeq(key.id()));
    state.put("read", log.read(0, 1000));
    return state;
  }
}
