package io.layerproof.p2p.pubsub;

/** An RPC (or frame) that is not valid protobuf, breaks the schema, or exceeds a limit. */
public final class MalformedRpcException extends RuntimeException {
  public MalformedRpcException(String message) {
    super(message);
  }

  public MalformedRpcException(String message, Throwable cause) {
    super(message, cause);
  }
}
