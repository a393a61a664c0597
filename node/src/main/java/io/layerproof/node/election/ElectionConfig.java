package io.layerproof.node.election;

import java.time.Duration;

/**
 * Election timing. {@code campaignTimeout}: how long a campaign collects candidates before it
 * re-broadcasts and picks the largest (EXO: 3 s). {@code connectivityDebounce}: how long after a
 * peer comes or goes the node waits for further changes before it bumps the clock once for all of
 * them (EXO: 0.2 s).
 */
public record ElectionConfig(Duration campaignTimeout, Duration connectivityDebounce) {
  public ElectionConfig {
    if (campaignTimeout.isNegative() || campaignTimeout.isZero()) {
      throw new IllegalArgumentException("campaignTimeout must be positive");
    }
    if (connectivityDebounce.isNegative()) {
      throw new IllegalArgumentException("connectivityDebounce must not be negative");
    }
  }

  public static ElectionConfig defaults() {
    return new ElectionConfig(Duration.ofSeconds(3), Duration.ofMillis(200));
  }

  /**
   * Upper bound on the time from a sequencer's disappearance (as its peers see it) to every
   * survivor agreeing on a successor, on a network whose one-way latency is at most {@code
   * maxLatency}: debounce, one campaign, and a message's flight twice (a node that adopts a higher
   * clock from a peer starts its campaign that much later).
   */
  public Duration takeoverBound(Duration maxLatency) {
    return connectivityDebounce.plus(campaignTimeout).plus(maxLatency.multipliedBy(2));
  }
}
