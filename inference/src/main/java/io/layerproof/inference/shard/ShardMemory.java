package io.layerproof.inference.shard;

import java.util.List;

/**
 * What a shard holds, counted from the arrays it created.
 *
 * @param tensorNames every tensor it loaded
 * @param parameters elements over all of them
 * @param bytes their float32 bytes in engine memory
 * @param bytesRead tensor bytes read from the model files while loading
 */
public record ShardMemory(List<String> tensorNames, long parameters, long bytes, long bytesRead) {

  public ShardMemory {
    tensorNames = List.copyOf(tensorNames);
  }
}
