package io.layerproof.wallet.auth;

import java.util.Objects;

/** A signed message was refused; {@link #reason()} says why for code, the message for people. */
public final class RejectedException extends Exception {

  private static final long serialVersionUID = 1L;

  private final RejectReason reason;

  public RejectedException(RejectReason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = Objects.requireNonNull(reason);
  }

  public RejectReason reason() {
    return reason;
  }
}
