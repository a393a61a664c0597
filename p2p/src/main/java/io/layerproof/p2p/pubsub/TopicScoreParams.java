package io.layerproof.p2p.pubsub;

import java.time.Duration;

/**
 * Per-topic score parameters (gossipsub v1.1): P1 time in mesh, P2 first message deliveries, P3
 * mesh message delivery deficit and P3b mesh failure penalty, P4 invalid messages.
 *
 * <p>P3 is off by default ({@code meshMessageDeliveriesWeight = 0}): its threshold depends on the
 * topic's traffic, so it is only safe once an application calibrates it ({@link
 * #withMeshDeliveries}).
 *
 * @param topicWeight multiplies this topic's contribution
 * @param timeInMeshWeight P1 weight (positive), per quantum of mesh time
 * @param timeInMeshQuantum P1 unit of time
 * @param timeInMeshCap P1 cap, in quanta
 * @param firstMessageDeliveriesWeight P2 weight (positive)
 * @param firstMessageDeliveriesDecay P2 counter decay per decay interval
 * @param firstMessageDeliveriesCap P2 counter cap
 * @param meshMessageDeliveriesWeight P3 weight (negative or 0), on the deficit squared
 * @param meshMessageDeliveriesDecay P3 counter decay per decay interval
 * @param meshMessageDeliveriesThreshold P3: deliveries expected from a mesh peer
 * @param meshMessageDeliveriesCap P3 counter cap
 * @param meshMessageDeliveriesActivation P3 applies this long after the GRAFT
 * @param meshMessageDeliveriesWindow a duplicate this soon after the first delivery still counts
 * @param meshFailurePenaltyWeight P3b weight (negative or 0): deficit squared kept at PRUNE
 * @param meshFailurePenaltyDecay P3b decay per decay interval
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
    double meshMessageDeliveriesWeight,
    double meshMessageDeliveriesDecay,
    double meshMessageDeliveriesThreshold,
    double meshMessageDeliveriesCap,
    Duration meshMessageDeliveriesActivation,
    Duration meshMessageDeliveriesWindow,
    double meshFailurePenaltyWeight,
    double meshFailurePenaltyDecay,
    double invalidMessageDeliveriesWeight,
    double invalidMessageDeliveriesDecay) {

  /**
   * Defaults: up to +36 for an hour in the mesh, up to +20 for first deliveries, P3 off, and -10
   * per invalid message squared, so three invalid messages outweigh the best record and cross the
   * default graylist threshold (-80).
   */
  public static final TopicScoreParams DEFAULT =
      new TopicScoreParams(
          1.0,
          0.01,
          Duration.ofSeconds(1),
          3600,
          1.0,
          0.9,
          20,
          0,
          0.9,
          1,
          100,
          Duration.ofSeconds(30),
          Duration.ofMillis(100),
          0,
          0.9,
          -10.0,
          0.99);

  public TopicScoreParams {
    if (topicWeight < 0
        || timeInMeshWeight < 0
        || firstMessageDeliveriesWeight < 0
        || meshMessageDeliveriesWeight > 0
        || meshFailurePenaltyWeight > 0
        || invalidMessageDeliveriesWeight > 0
        || meshMessageDeliveriesThreshold <= 0
        || meshMessageDeliveriesCap < meshMessageDeliveriesThreshold
        || timeInMeshQuantum.isZero()
        || !decay(firstMessageDeliveriesDecay)
        || !decay(meshMessageDeliveriesDecay)
        || !decay(meshFailurePenaltyDecay)
        || !decay(invalidMessageDeliveriesDecay)) {
      throw new IllegalArgumentException("invalid topic score parameters");
    }
  }

  /** These parameters with P3/P3b switched on. */
  public TopicScoreParams withMeshDeliveries(
      double weight,
      double threshold,
      double cap,
      Duration activation,
      Duration window,
      double failurePenaltyWeight) {
    return new TopicScoreParams(
        topicWeight,
        timeInMeshWeight,
        timeInMeshQuantum,
        timeInMeshCap,
        firstMessageDeliveriesWeight,
        firstMessageDeliveriesDecay,
        firstMessageDeliveriesCap,
        weight,
        meshMessageDeliveriesDecay,
        threshold,
        cap,
        activation,
        window,
        failurePenaltyWeight,
        meshFailurePenaltyDecay,
        invalidMessageDeliveriesWeight,
        invalidMessageDeliveriesDecay);
  }

  private static boolean decay(double d) {
    return d > 0 && d < 1;
  }
}
