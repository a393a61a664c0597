package io.layerproof.inference.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.LongConsumer;

/** Writes float32 tensors in the safetensors layout, streaming one tensor at a time. */
final class SafetensorsWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A tensor to write; {@code fill} puts its values, row-major. */
  record Tensor(String name, long[] shape) {
    long elements() {
      long n = 1;
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      return n;
    }
  }

  @FunctionalInterface
  interface Filler {
    void fill(Tensor tensor, ByteBuffer out);
  }

  private SafetensorsWriter() {}

  /** Writes {@code tensors} in order; {@code progress} gets the data bytes of each as written. */
  static void write(Path file, List<Tensor> tensors, Filler filler, LongConsumer progress)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Tensor t : tensors) {
      ObjectNode e = header.putObject(t.name());
      e.put("dtype", "F32");
      var shape = e.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      long size = t.elements() * 4;
      e.putArray("data_offsets").add(offset).add(offset + size);
      offset += size;
    }
    byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(ch, head.flip());
      for (Tensor t : tensors) {
        ByteBuffer data =
            ByteBuffer.allocate(Math.toIntExact(t.elements() * 4)).order(ByteOrder.LITTLE_ENDIAN);
        filler.fill(t, data);
        writeFully(ch, data.flip());
        progress.accept(t.elements() * 4);
      }
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}
