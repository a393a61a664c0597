package io.layerproof.node.election;

import io.layerproof.node.bus.MalformedMessageException;
import io.layerproof.node.bus.WireReader;
import io.layerproof.node.bus.WireWriter;

/** The wire form of {@link ElectionMessage}: a tag, a version, four longs and the node id. */
public final class ElectionCodec {
  private static final byte TAG = 'E';
  private static final byte VERSION = 1;

  private ElectionCodec() {}

  public static byte[] encode(ElectionMessage m) {
    return new WireWriter()
        .writeByte(TAG)
        .writeByte(VERSION)
        .writeLong(m.clock())
        .writeLong(m.seniority())
        .writeLong(m.commandsSeen())
        .writeLong(m.sessionClock())
        .writeNodeId(m.nodeId())
        .toByteArray();
  }

  public static ElectionMessage decode(byte[] bytes) throws MalformedMessageException {
    WireReader r = new WireReader(bytes);
    if (r.readByte() != TAG) {
      throw new MalformedMessageException("not an election message");
    }
    byte version = r.readByte();
    if (version != VERSION) {
      throw new MalformedMessageException("unknown election message version " + version);
    }
    long clock = r.readLong("clock", 0, Long.MAX_VALUE);
    long seniority = r.readLong("seniority", -1, Long.MAX_VALUE);
    long commandsSeen = r.readLong("commandsSeen", 0, Long.MAX_VALUE);
    long sessionClock = r.readLong("sessionClock", 0, clock);
    ElectionMessage m =
        new ElectionMessage(clock, seniority, commandsSeen, r.readNodeId(), sessionClock);
    r.end();
    return m;
  }
}
