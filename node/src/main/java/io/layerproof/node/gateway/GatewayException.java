package io.layerproof.node.gateway;

/**
 * A refusal sent to the client in OpenAI's error shape: {@code
 * {"error":{"message","type","param","code"}}} with {@link #status()} as the HTTP status.
 */
public final class GatewayException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String code;

  public GatewayException(int status, String type, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  public static GatewayException badRequest(String code, String message) {
    return new GatewayException(400, "invalid_request_error", code, message);
  }

  public static GatewayException unauthorized(String code, String message) {
    return new GatewayException(401, "authentication_error", code, message);
  }

  /** 402: the escrow or the session's remaining cap does not cover the quoted price. */
  public static GatewayException paymentRequired(String code, String message) {
    return new GatewayException(402, "insufficient_quota", code, message);
  }

  public static GatewayException forbidden(String code, String message) {
    return new GatewayException(403, "permission_error", code, message);
  }

  public static GatewayException notFound(String code, String message) {
    return new GatewayException(404, "invalid_request_error", code, message);
  }

  public static GatewayException conflict(String code, String message) {
    return new GatewayException(409, "invalid_request_error", code, message);
  }
}
