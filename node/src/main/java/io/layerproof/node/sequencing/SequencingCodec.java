package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.node.bus.MalformedMessageException;
import io.layerproof.node.bus.WireReader;
import io.layerproof.node.bus.WireWriter;
import io.layerproof.node.election.Session;
import io.layerproof.node.sequencing.SequencingMessage.AnchorProposal;
import io.layerproof.node.sequencing.SequencingMessage.EventLogPage;
import io.layerproof.node.sequencing.SequencingMessage.EventsIndexed;
import io.layerproof.node.sequencing.SequencingMessage.LogAck;
import io.layerproof.node.sequencing.SequencingMessage.RequestEventLog;
import io.layerproof.node.sequencing.SequencingMessage.SequencerHeartbeat;
import io.layerproof.node.sequencing.SequencingMessage.SubmitEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary wire form of {@link SequencingMessage}s: tag, version, type, fields. Decoding bounds every
 * length (payload size, entries per message) before allocating, so a hostile peer cannot make a
 * node allocate more than one bounded message.
 */
public final class SequencingCodec {
  /** Largest payload accepted; a signed event envelope is a few hundred bytes. */
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  /** Most entries in one message; pages are clamped to this. */
  public static final int MAX_ENTRIES = 512;

  private static final byte TAG = 'S';
  private static final byte VERSION = 1;
  private static final byte SUBMIT = 1;
  private static final byte INDEXED = 2;
  private static final byte REQUEST = 3;
  private static final byte PAGE = 4;
  private static final byte ACK = 5;
  private static final byte HEARTBEAT = 6;
  private static final byte PROPOSAL = 7;

  private SequencingCodec() {}

  public static byte[] encode(SequencingMessage m) {
    WireWriter w = new WireWriter().writeByte(TAG).writeByte(VERSION);
    if (m instanceof SubmitEvent s) {
      w.writeByte(SUBMIT);
      writeEvent(w, s.event());
    } else if (m instanceof EventsIndexed e) {
      w.writeByte(INDEXED);
      writeSession(w, e.session());
      writeEntries(w, e.entries());
    } else if (m instanceof RequestEventLog r) {
      w.writeByte(REQUEST).writeLong(r.sinceIdx()).writeInt(r.max());
    } else if (m instanceof EventLogPage p) {
      w.writeByte(PAGE).writeLong(p.sinceIdx());
      writeEntries(w, p.entries());
      w.writeLong(p.head()).writeFixed(p.headHash().toByteArray());
      writeMark(w, p.mark());
      writeOptionalPin(w, p.pin());
    } else if (m instanceof LogAck a) {
      w.writeByte(ACK);
      writeSession(w, a.session());
      w.writeLong(a.head()).writeFixed(a.headHash().toByteArray()).writeLong(a.anchoredBatch());
      writeOptionalPin(w, a.pin());
    } else if (m instanceof SequencerHeartbeat h) {
      w.writeByte(HEARTBEAT);
      writeSession(w, h.session());
      w.writeLong(h.clock()).writeLong(h.head()).writeFixed(h.headHash().toByteArray());
      writeMark(w, h.mark());
    } else if (m instanceof AnchorProposal p) {
      w.writeByte(PROPOSAL);
      writeSession(w, p.session());
      writePin(w, p.batch());
    }
    return w.toByteArray();
  }

  public static SequencingMessage decode(byte[] bytes) throws MalformedMessageException {
    WireReader r = new WireReader(bytes);
    if (r.readByte() != TAG) {
      throw new MalformedMessageException("not a sequencing message");
    }
    byte version = r.readByte();
    if (version != VERSION) {
      throw new MalformedMessageException("unknown sequencing message version " + version);
    }
    byte type = r.readByte();
    SequencingMessage m =
        switch (type) {
          case SUBMIT -> new SubmitEvent(readEvent(r));
          case INDEXED -> new EventsIndexed(readSession(r), readEntries(r));
          case REQUEST ->
              new RequestEventLog(r.readLong("sinceIdx", 0, Long.MAX_VALUE), readCount(r, "max"));
          case PAGE ->
              new EventLogPage(
                  r.readLong("sinceIdx", 0, Long.MAX_VALUE),
                  readEntries(r),
                  r.readLong("head", -1, Long.MAX_VALUE),
                  Bytes32.of(r.readFixed(32)),
                  readMark(r),
                  readOptionalPin(r));
          case ACK ->
              new LogAck(
                  readSession(r),
                  r.readLong("head", -1, Long.MAX_VALUE),
                  Bytes32.of(r.readFixed(32)),
                  r.readLong("anchored batch", -1, Long.MAX_VALUE),
                  readOptionalPin(r));
          case HEARTBEAT ->
              new SequencerHeartbeat(
                  readSession(r),
                  r.readLong("clock", 0, Long.MAX_VALUE),
                  r.readLong("head", -1, Long.MAX_VALUE),
                  Bytes32.of(r.readFixed(32)),
                  readMark(r));
          case PROPOSAL -> new AnchorProposal(readSession(r), readPin(r));
          default -> throw new MalformedMessageException("unknown sequencing message type " + type);
        };
    r.end();
    return m;
  }

  private static void writeEvent(WireWriter w, ProducerEvent e) {
    w.writeNodeId(e.producer().node())
        .writeLong(e.producer().incarnation())
        .writeLong(e.seq())
        .writeBytes(e.payloadUnsafe());
  }

  private static ProducerEvent readEvent(WireReader r) throws MalformedMessageException {
    ProducerId producer =
        new ProducerId(r.readNodeId(), r.readLong("incarnation", 0, Long.MAX_VALUE));
    long seq = r.readLong("seq", 1, Long.MAX_VALUE);
    return new ProducerEvent(producer, seq, r.readBytes("payload", MAX_PAYLOAD_BYTES));
  }

  private static void writeEntries(WireWriter w, List<LogEntry> entries) {
    w.writeInt(entries.size());
    for (LogEntry e : entries) {
      w.writeLong(e.index());
      writeEvent(w, e.event());
      w.writeFixed(e.chainHash().toByteArray());
    }
  }

  private static List<LogEntry> readEntries(WireReader r) throws MalformedMessageException {
    int n = readCount(r, "entry count");
    List<LogEntry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long index = r.readLong("index", 0, Long.MAX_VALUE);
      ProducerEvent e = readEvent(r);
      out.add(new LogEntry(index, e, Bytes32.of(r.readFixed(32))));
    }
    return out;
  }

  private static int readCount(WireReader r, String what) throws MalformedMessageException {
    int n = r.readInt();
    if (n < 0 || n > MAX_ENTRIES) {
      throw new MalformedMessageException(what + " " + n + " not in [0, " + MAX_ENTRIES + "]");
    }
    return n;
  }

  private static void writeSession(WireWriter w, Session s) {
    w.writeNodeId(s.sequencer()).writeLong(s.clock());
  }

  private static Session readSession(WireReader r) throws MalformedMessageException {
    return new Session(r.readNodeId(), r.readLong("session clock", 0, Long.MAX_VALUE));
  }

  private static void writeMark(WireWriter w, AnchorMark m) {
    if (m == null) {
      w.writeByte(0);
      return;
    }
    w.writeByte(1)
        .writeLong(m.batchIndex())
        .writeLong(m.lastIndex())
        .writeFixed(m.lastHash().toByteArray())
        .writeFixed(m.root().toByteArray());
  }

  private static AnchorMark readMark(WireReader r) throws MalformedMessageException {
    byte present = r.readByte();
    if (present == 0) {
      return null;
    }
    if (present != 1) {
      throw new MalformedMessageException("bad anchor mark flag " + present);
    }
    return new AnchorMark(
        r.readLong("batch index", 0, Long.MAX_VALUE),
        r.readLong("last index", 0, Long.MAX_VALUE),
        Bytes32.of(r.readFixed(32)),
        Bytes32.of(r.readFixed(32)));
  }

  private static void writeOptionalPin(WireWriter w, ProposedBatch p) {
    if (p == null) {
      w.writeByte(0);
    } else {
      writePin(w.writeByte(1), p);
    }
  }

  private static ProposedBatch readOptionalPin(WireReader r) throws MalformedMessageException {
    byte present = r.readByte();
    if (present == 0) {
      return null;
    }
    if (present != 1) {
      throw new MalformedMessageException("bad pin flag " + present);
    }
    return readPin(r);
  }

  private static void writePin(WireWriter w, ProposedBatch p) {
    w.writeLong(p.batchIndex())
        .writeLong(p.firstIndex())
        .writeLong(p.lastIndex())
        .writeFixed(p.lastHash().toByteArray())
        .writeFixed(p.root().toByteArray());
  }

  /** Ranges are checked here, so the record's own checks cannot throw on hostile input. */
  private static ProposedBatch readPin(WireReader r) throws MalformedMessageException {
    long batch = r.readLong("batch index", 0, Long.MAX_VALUE);
    long first = r.readLong("first index", 0, Long.MAX_VALUE);
    long last = r.readLong("last index", first, Long.MAX_VALUE);
    return new ProposedBatch(
        batch, first, last, Bytes32.of(r.readFixed(32)), Bytes32.of(r.readFixed(32)));
  }
}
