package io.layerproof.chain.event;

/** Thrown when an event is refused; {@link #rejection()} says why. Nothing was stored. */
public final class EventRejectedException extends RuntimeException {

  private final Rejection rejection;

  public EventRejectedException(RejectReason reason, String message) {
    this(new Rejection(reason, message));
  }

  public EventRejectedException(Rejection rejection) {
    super(rejection.toString(), null, false, false); // an expected outcome: no stack trace
    this.rejection = rejection;
  }

  public Rejection rejection() {
    return rejection;
  }

  public RejectReason reason() {
    return rejection.reason();
  }
}
