package io.layerproof.node.bus;

import io.layerproof.chain.event.NodeId;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes the binary forms {@link WireReader} reads. */
public final class WireWriter {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final DataOutputStream out = new DataOutputStream(bytes);

  public WireWriter writeByte(int v) {
    return io(() -> out.writeByte(v));
  }

  public WireWriter writeInt(int v) {
    return io(() -> out.writeInt(v));
  }

  public WireWriter writeLong(long v) {
    return io(() -> out.writeLong(v));
  }

  public WireWriter writeBytes(byte[] v) {
    return io(
        () -> {
          out.writeInt(v.length);
          out.write(v);
        });
  }

  public WireWriter writeFixed(byte[] v) {
    return io(() -> out.write(v));
  }

  public WireWriter writeNodeId(NodeId id) {
    return writeFixed(id.toByteArray());
  }

  public byte[] toByteArray() {
    return bytes.toByteArray();
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private WireWriter io(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: in-memory stream
    }
    return this;
  }
}
