package io.layerproof.chain.devnet;

/**
 * An error answered to a JSON-RPC client. Codes follow geth: -32000 for rejected transactions and
 * state errors, 3 for reverted calls (with the revert data), -32602 for bad parameters.
 */
public final class RpcException extends RuntimeException {

  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;
  public static final int SERVER_ERROR = -32000;
  public static final int LIMIT_EXCEEDED = -32005;
  public static final int EXECUTION_REVERTED = 3;

  private final int code;
  private final String data;

  public RpcException(int code, String message, String data) {
    super(message, null, false, false);
    this.code = code;
    this.data = data;
  }

  public RpcException(int code, String message) {
    this(code, message, null);
  }

  static RpcException invalidParams(String message) {
    return new RpcException(INVALID_PARAMS, message);
  }

  /** A transaction or state error, geth's -32000 with geth's wording. */
  static RpcException rejected(String message) {
    return new RpcException(SERVER_ERROR, message);
  }

  public int code() {
    return code;
  }

  /** Hex revert data for code 3, otherwise null. */
  public String data() {
    return data;
  }
}
