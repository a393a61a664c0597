package io.layerproof.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The header of one {@code .safetensors} file: an 8-byte little-endian length, a JSON table of
 * tensors, then the raw data. Every entry is checked against the file's real size, so a truncated
 * download fails here with the tensor named rather than later as garbage.
 */
public final class SafetensorsFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The format caps headers at 100 MB; anything larger is not a safetensors file. */
  private static final long MAX_HEADER = 100L * 1024 * 1024;

  private final Path path;
  private final Map<String, TensorInfo> tensors;

  private SafetensorsFile(Path path, Map<String, TensorInfo> tensors) {
    this.path = path;
    this.tensors = tensors;
  }

  public static SafetensorsFile open(Path path) {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new ModelFormatException(
            path + " is truncated: " + size + " bytes, not even a header length");
      }
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 0);
      long headerLength = len.flip().getLong();
      if (headerLength <= 1 || headerLength > MAX_HEADER) {
        throw new ModelFormatException(
            path + " is not a safetensors file (header length " + headerLength + ")");
      }
      if (8 + headerLength > size) {
        throw new ModelFormatException(
            path
                + " is truncated: header says "
                + headerLength
                + " bytes but the file has "
                + (size - 8));
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      readFully(ch, header, 8);
      long dataStart = 8 + headerLength;
      return new SafetensorsFile(path, parse(path, header.array(), dataStart, size - dataStart));
    } catch (NoSuchFileException e) {
      throw new ModelFormatException("missing weights file " + path);
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  /** Tensors by name, in header order. */
  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  private static Map<String, TensorInfo> parse(
      Path path, byte[] header, long dataStart, long dataSize) {
    JsonNode root;
    try {
      root = JSON.readTree(header);
    } catch (IOException e) {
      throw new ModelFormatException("malformed safetensors header in " + path, e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelFormatException("safetensors header of " + path + " is not a JSON object");
    }
    Map<String, TensorInfo> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      out.put(e.getKey(), entry(path, e.getKey(), e.getValue(), dataStart, dataSize));
    }
    return out;
  }

  private static TensorInfo entry(
      Path path, String name, JsonNode node, long dataStart, long dataSize) {
    String where = "tensor '" + name + "' in " + path;
    SafetensorsDType dtype;
    try {
      dtype = SafetensorsDType.valueOf(node.path("dtype").asText(""));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(where + " has unknown dtype " + node.get("dtype"));
    }
    JsonNode shapeNode = node.get("shape");
    JsonNode offsets = node.get("data_offsets");
    if (shapeNode == null || !shapeNode.isArray() || offsets == null || offsets.size() != 2) {
      throw new ModelFormatException(where + " lacks shape or data_offsets");
    }
    long[] shape = new long[shapeNode.size()];
    long elements = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong(-1);
      if (shape[i] < 0) {
        throw new ModelFormatException(where + " has a negative dimension");
      }
      elements = Math.multiplyExact(elements, shape[i]);
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    long expected = Math.multiplyExact(elements, dtype.bytes());
    if (begin < 0 || end < begin || end - begin != expected) {
      throw new ModelFormatException(
          where + " has data_offsets [" + begin + ", " + end + "] for " + expected + " bytes");
    }
    if (end > dataSize) {
      throw new ModelFormatException(
          path
              + " is truncated: tensor '"
              + name
              + "' ends at byte "
              + end
              + " of the data but the file holds "
              + dataSize);
    }
    return new TensorInfo(name, path, dtype, shape, dataStart + begin, expected);
  }

  static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
    long pos = position;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, pos);
      if (n < 0) {
        throw new EOFException("unexpected end of file at byte " + pos);
      }
      pos += n;
    }
  }
}
