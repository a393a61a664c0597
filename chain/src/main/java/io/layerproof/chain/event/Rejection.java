package io.layerproof.chain.event;

/** A refused event: a stable reason code and a message for people (no stack traces). */
public record Rejection(RejectReason reason, String message) {
  public Rejection {
    Checks.present(reason, "reason");
    Checks.present(message, "message");
  }

  @Override
  public String toString() {
    return reason + ": " + message;
  }
}
