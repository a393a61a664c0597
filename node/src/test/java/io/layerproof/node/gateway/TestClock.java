package io.layerproof.node.gateway;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand, to reach expiries without waiting. */
final class TestClock extends Clock {

  private volatile long seconds;

  TestClock(long seconds) {
    this.seconds = seconds;
  }

  void set(long s) {
    seconds = s;
  }

  long now() {
    return seconds;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochSecond(seconds);
  }
}
