package io.layerproof.p2p.pubsub;

import java.time.Duration;

/**
 * Per-topic score parameters (gossipsub v1.1): P1 time in mesh, P2 first message deliveries, P4
 * invalid messages. P3 (mesh delivery deficit) is not implemented: its threshold depends on the
 * topic's traffic, so it is only safe once an application calibrates it.
 *
 * @param topicWeight multiplies this topic's contribution
 * @param timeInMeshWeight P1 weight (positive), per quantum of mesh time
 * @param timeInMeshQuantum P1 unit of time
 * @param timeInMeshCap P1 cap, in quanta
 * @param firstMessageDeliveriesWeight P2 weight (positive)
 * @param firstMessageDeliveriesDecay P2 counter decay per decay interval
 * @param firstMessageDeliveriesCap P2 counter cap
 * @param invalidMessageDeliveriesWeight P4 weight (negative), applied to the counter squared
 * @param invalidMessageDeliveriesDecay P4 counter decay per decay interval
 */
public record TopicScoreParams(
    double topicWeight,
    double timeInMeshWeight,
    Duration timeInMeshQuantum,
    double timeInMeshCap,
    double firstMessageDeliveriesWeight,
    double firstMessageDeliveriesDecay,
    double firstMessageDeliveriesCap,
    double invalidMessageDeliveriesWeight,
    double invalidMessageDeliveriesDecay) {

  /**
   * Defaults: up to +36 for an hour in the mesh, up to +20 for first deliveries, and -10 per
   * invalid message squared, so three invalid messages outweigh the best record and cross the
   * default graylist threshold (-80).
   */
  public static final TopicScoreParams DEFAULT =
      new TopicScoreParams(1.0, 0.01, Duration.ofSeconds(1), 3600, 1.0, 0.9, 20, -10.0, 0.99);

  public TopicScoreParams {
    if (topicWeight < 0
        || timeInMeshWeight < 0
        || firstMessageDeliveriesWeight < 0
        || invalidMessageDeliveriesWeight > 0
        || timeInMeshQuantum.isZero()
        || !decay(firstMessageDeliveriesDecay)
        || !decay(invalidMessageDeliveriesDecay)) {
      throw new IllegalArgumentException("invalid topic score parameters");
    }
  }

  private static boolean decay(double d) {
    return d > 0 && d < 1;
  }
}
