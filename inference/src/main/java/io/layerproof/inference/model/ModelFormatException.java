package io.layerproof.inference.model;

/** A model folder that cannot be used as it is; the message names the file and what is wrong. */
public final class ModelFormatException extends RuntimeException {

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
