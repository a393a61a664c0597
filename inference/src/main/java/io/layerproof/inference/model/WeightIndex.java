package io.layerproof.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tensors of a model folder: {@code model.safetensors}, or the files that {@code
 * model.safetensors.index.json} maps names to. Only headers are read up front; a tensor's bytes are
 * read when asked for, so a shard reads only its own layers. {@link #bytesRead} counts what was
 * actually read.
 */
public final class WeightIndex {

  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path folder;
  private final Map<String, TensorInfo> tensors;
  private final AtomicLong bytesRead = new AtomicLong();

  private WeightIndex(Path folder, Map<String, TensorInfo> tensors) {
    this.folder = folder;
    this.tensors = Collections.unmodifiableMap(tensors);
  }

  public static WeightIndex open(Path folder) {
    Path index = folder.resolve(INDEX_FILE);
    if (Files.exists(index)) {
      return new WeightIndex(folder, fromIndex(folder, index));
    }
    Path single = folder.resolve(SINGLE_FILE);
    if (!Files.exists(single)) {
      throw new ModelFormatException(
          "no " + SINGLE_FILE + " or " + INDEX_FILE + " in model folder " + folder);
    }
    return new WeightIndex(folder, new LinkedHashMap<>(SafetensorsFile.open(single).tensors()));
  }

  private static Map<String, TensorInfo> fromIndex(Path folder, Path index) {
    JsonNode map;
    try {
      map = JSON.readTree(index.toFile()).get("weight_map");
    } catch (IOException e) {
      throw new ModelFormatException("malformed " + index + ": " + e.getMessage(), e);
    }
    if (map == null || !map.isObject() || map.isEmpty()) {
      throw new ModelFormatException(index + " has no weight_map");
    }
    Map<String, SafetensorsFile> files = new LinkedHashMap<>();
    Map<String, TensorInfo> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String fileName = e.getValue().asText("");
      Path file = folder.resolve(fileName).normalize();
      if (fileName.isEmpty() || !folder.normalize().equals(file.getParent())) {
        throw new ModelFormatException(
            index + " maps '" + e.getKey() + "' to '" + fileName + "', outside the folder");
      }
      SafetensorsFile st = files.computeIfAbsent(fileName, f -> SafetensorsFile.open(file));
      TensorInfo info = st.tensors().get(e.getKey());
      if (info == null) {
        throw new ModelFormatException(
            index + " maps '" + e.getKey() + "' to " + fileName + ", which has no such tensor");
      }
      out.put(e.getKey(), info);
    }
    return out;
  }

  public Path folder() {
    return folder;
  }

  public Set<String> names() {
    return tensors.keySet();
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  public TensorInfo info(String name) {
    TensorInfo info = tensors.get(name);
    if (info == null) {
      throw new ModelFormatException("missing tensor '" + name + "' in model folder " + folder);
    }
    return info;
  }

  /** Bytes of tensor data read so far (headers not counted). */
  public long bytesRead() {
    return bytesRead.get();
  }

  /**
   * Reads a floating-point tensor as little-endian float32 into a new direct buffer, after checking
   * its shape against {@code expectedShape} (what the config implies).
   */
  public ByteBuffer readFloat32(String name, long... expectedShape) {
    TensorInfo info = info(name);
    if (!Arrays.equals(info.shape(), expectedShape)) {
      throw new ModelFormatException(
          "tensor '"
              + name
              + "' has shape "
              + info.shapeString()
              + " but config.json implies "
              + Arrays.toString(expectedShape));
    }
    if (!info.dtype().isFloat()) {
      throw new ModelFormatException(
          "tensor '" + name + "' has dtype " + info.dtype() + ", expected F32, F16 or BF16");
    }
    ByteBuffer raw = readRaw(info);
    if (info.dtype() == SafetensorsDType.F32) {
      return raw;
    }
    int n = Math.toIntExact(info.elementCount());
    ByteBuffer out = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    boolean bf16 = info.dtype() == SafetensorsDType.BF16;
    for (int i = 0; i < n; i++) {
      short bits = raw.getShort(i * 2);
      out.putFloat(i * 4, bf16 ? HalfFloats.bf16ToFloat(bits) : HalfFloats.f16ToFloat(bits));
    }
    return out;
  }

  private ByteBuffer readRaw(TensorInfo info) {
    ByteBuffer buf =
        ByteBuffer.allocateDirect(Math.toIntExact(info.byteLength()))
            .order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(info.file(), StandardOpenOption.READ)) {
      if (ch.size() < info.dataStart() + info.byteLength()) {
        throw new ModelFormatException(
            info.file() + " was truncated after it was opened (tensor '" + info.name() + "')");
      }
      SafetensorsFile.readFully(ch, buf, info.dataStart());
    } catch (IOException e) {
      throw new ModelFormatException(
          "cannot read tensor '" + info.name() + "' from " + info.file() + ": " + e.getMessage(),
          e);
    }
    bytesRead.addAndGet(info.byteLength());
    return buf.flip();
  }
}
