package io.layerproof.node.sequencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.node.bus.MalformedMessageException;
import io.layerproof.node.bus.WireWriter;
import io.layerproof.node.election.Session;
import io.layerproof.node.sequencing.SequencingMessage.AnchorProposal;
import io.layerproof.node.sequencing.SequencingMessage.EventLogPage;
import io.layerproof.node.sequencing.SequencingMessage.EventsIndexed;
import io.layerproof.node.sequencing.SequencingMessage.LogAck;
import io.layerproof.node.sequencing.SequencingMessage.RequestEventLog;
import io.layerproof.node.sequencing.SequencingMessage.SequencerHeartbeat;
import io.layerproof.node.sequencing.SequencingMessage.SubmitEvent;
import io.layerproof.node.testing.TestIds;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequencingCodecTest {
  private static final ProducerId P = new ProducerId(TestIds.named("p"), 3);
  private static final Session S = new Session(TestIds.named("s"), 9);

  private static List<LogEntry> entries() {
    LogEntry a =
        LogEntry.chain(
            Bytes32.ZERO, 0, new ProducerEvent(P, 1, new byte[] {1, 2}), EventFormat.OPAQUE);
    LogEntry b =
        LogEntry.chain(a.chainHash(), 1, new ProducerEvent(P, 2, new byte[0]), EventFormat.OPAQUE);
    return List.of(a, b);
  }

  @Test
  void everyMessageRoundTrips() throws Exception {
    AnchorMark mark =
        new AnchorMark(4, 1, entries().get(1).chainHash(), entries().get(0).chainHash());
    ProposedBatch pin = pin();
    List<SequencingMessage> all =
        List.of(
            new SubmitEvent(new ProducerEvent(P, 7, new byte[] {9})),
            new EventsIndexed(S, entries()),
            new RequestEventLog(12, 256),
            new EventLogPage(0, entries(), 1, entries().get(1).chainHash(), mark, pin),
            new EventLogPage(5, List.of(), -1, Bytes32.ZERO, null, null),
            new LogAck(S, 1, entries().get(1).chainHash(), -1, null),
            new LogAck(S, 1, entries().get(1).chainHash(), 3, pin),
            new SequencerHeartbeat(S, 11, 1, entries().get(1).chainHash(), mark),
            new AnchorProposal(S, pin));
    for (SequencingMessage m : all) {
      assertEquals(m, SequencingCodec.decode(SequencingCodec.encode(m)));
    }
  }

  @Test
  void malformedBytesAreRejectedWithAReason() {
    byte[] ok = SequencingCodec.encode(new EventsIndexed(S, entries()));
    assertReason(Arrays.copyOf(ok, ok.length - 3), "truncated");
    assertReason(Arrays.copyOf(ok, ok.length + 2), "trailing");
    assertReason(new byte[] {'S', 1, 42}, "unknown sequencing message type 42");
    assertReason(new byte[] {'S', 2, 1}, "version 2");
    assertReason(new byte[] {'E', 1, 1}, "not a sequencing message");
  }

  @Test
  void lengthsAreBoundedBeforeAnythingIsAllocated() {
    byte[] oversized =
        new WireWriter()
            .writeByte('S')
            .writeByte(1)
            .writeByte(1)
            .writeNodeId(TestIds.named("p"))
            .writeLong(1)
            .writeLong(1)
            .writeInt(SequencingCodec.MAX_PAYLOAD_BYTES + 1)
            .toByteArray();
    assertReason(oversized, "payload length");
    byte[] tooMany =
        new WireWriter()
            .writeByte('S')
            .writeByte(1)
            .writeByte(2)
            .writeNodeId(TestIds.named("s"))
            .writeLong(1)
            .writeInt(Integer.MAX_VALUE)
            .toByteArray();
    assertReason(tooMany, "entry count");
    byte[] seqZero =
        new WireWriter()
            .writeByte('S')
            .writeByte(1)
            .writeByte(1)
            .writeNodeId(TestIds.named("p"))
            .writeLong(1)
            .writeLong(0)
            .writeBytes(new byte[0])
            .toByteArray();
    assertReason(seqZero, "seq out of range");
  }

  @Test
  void aProposalIsCheckedBeforeItIsBuilt() {
    byte[] ok = SequencingCodec.encode(new AnchorProposal(S, pin()));
    assertReason(Arrays.copyOf(ok, ok.length - 1), "truncated");
    assertReason(Arrays.copyOf(ok, ok.length + 1), "trailing");
    assertReason(proposal(-1, 0, 1), "batch index out of range");
    assertReason(proposal(4, -5, 1), "first index out of range");
    assertReason(proposal(4, 2, 1), "last index out of range"); // ends before it starts
    byte[] badFlag = SequencingCodec.encode(new LogAck(S, 1, Bytes32.ZERO, -1, null));
    badFlag[badFlag.length - 1] = 7;
    assertReason(badFlag, "bad pin flag 7");
  }

  private static ProposedBatch pin() {
    return new ProposedBatch(4, 0, 1, entries().get(1).chainHash(), entries().get(0).chainHash());
  }

  private static byte[] proposal(long batch, long first, long last) {
    return new WireWriter()
        .writeByte('S')
        .writeByte(1)
        .writeByte(7)
        .writeNodeId(S.sequencer())
        .writeLong(S.clock())
        .writeLong(batch)
        .writeLong(first)
        .writeLong(last)
        .writeFixed(new byte[32])
        .writeFixed(new byte[32])
        .toByteArray();
  }

  private static void assertReason(byte[] bytes, String expected) {
    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, () -> SequencingCodec.decode(bytes));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
