package io.layerproof.node.bus;

import io.layerproof.chain.event.NodeId;
import java.nio.ByteBuffer;

/**
 * Reads the small big-endian binary forms our protocol messages use, turning every short read,
 * negative length or out-of-range value into a {@link MalformedMessageException} with a reason.
 */
public final class WireReader {
  private final ByteBuffer buf;

  public WireReader(byte[] bytes) {
    this.buf = ByteBuffer.wrap(bytes);
  }

  public byte readByte() throws MalformedMessageException {
    need(1);
    return buf.get();
  }

  public int readInt() throws MalformedMessageException {
    need(4);
    return buf.getInt();
  }

  public long readLong() throws MalformedMessageException {
    need(8);
    return buf.getLong();
  }

  /** A long that must lie in [min, max]; {@code what} names it in the error. */
  public long readLong(String what, long min, long max) throws MalformedMessageException {
    long v = readLong();
    if (v < min || v > max) {
      throw new MalformedMessageException(what + " out of range: " + v);
    }
    return v;
  }

  /** A length-prefixed byte string of at most {@code max} bytes. */
  public byte[] readBytes(String what, int max) throws MalformedMessageException {
    int len = readInt();
    if (len < 0 || len > max) {
      throw new MalformedMessageException(what + " length " + len + " not in [0, " + max + "]");
    }
    need(len);
    byte[] out = new byte[len];
    buf.get(out);
    return out;
  }

  /** Exactly {@code len} raw bytes. */
  public byte[] readFixed(int len) throws MalformedMessageException {
    need(len);
    byte[] out = new byte[len];
    buf.get(out);
    return out;
  }

  public NodeId readNodeId() throws MalformedMessageException {
    return NodeId.of(readFixed(32));
  }

  /** Fails unless every byte was consumed: trailing garbage is as suspect as missing bytes. */
  public void end() throws MalformedMessageException {
    if (buf.hasRemaining()) {
      throw new MalformedMessageException(buf.remaining() + " trailing bytes");
    }
  }

  private void need(int n) throws MalformedMessageException {
    if (buf.remaining() < n) {
      throw new MalformedMessageException("truncated: needed " + n + " more bytes");
    }
  }
}
