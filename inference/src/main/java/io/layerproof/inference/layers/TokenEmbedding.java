package io.layerproof.inference.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/** The token embedding table [vocab, hidden]; looks rows up by id. */
public record TokenEmbedding(NDArray table) {

  public NDArray embed(int[] ids, NDManager scratch) {
    long vocab = table.getShape().get(0);
    for (int id : ids) {
      if (id < 0 || id >= vocab) {
        throw new IllegalArgumentException(
            "token id " + id + " is outside the vocabulary of " + vocab);
      }
    }
    NDArray index = scratch.create(ids).toType(DataType.INT64, false);
    NDArray rows = table.get(new NDIndex("{}", index));
    rows.attach(scratch);
    return rows;
  }
}
