package io.layerproof.p2p.pubsub;

import java.time.Duration;
import java.util.Map;

/**
 * Peer score parameters (gossipsub v1.1). P5 (application score) and P6 (IP colocation) are not
 * modelled: the router does not see addresses; the transport can disconnect such peers itself.
 *
 * @param topics parameters of named topics
 * @param defaultTopic parameters of every other topic (null: other topics are not scored)
 * @param topicScoreCap cap on the positive sum of topic contributions (0: none)
 * @param behaviourPenaltyWeight P7 weight (negative), on the excess over the threshold squared
 * @param behaviourPenaltyThreshold P7 free allowance
 * @param behaviourPenaltyDecay P7 counter decay per decay interval
 * @param decayInterval how often counters decay
 * @param decayToZero a counter below this is reset to 0
 * @param retainScore how long a disconnected peer's score is remembered (so reconnecting does not
 *     wash a bad score)
 */
public record PeerScoreParams(
    Map<String, TopicScoreParams> topics,
    TopicScoreParams defaultTopic,
    double topicScoreCap,
    double behaviourPenaltyWeight,
    double behaviourPenaltyThreshold,
    double behaviourPenaltyDecay,
    Duration decayInterval,
    double decayToZero,
    Duration retainScore) {

  public static final PeerScoreParams DEFAULT =
      new PeerScoreParams(
          Map.of(),
          TopicScoreParams.DEFAULT,
          100,
          -10,
          0,
          0.9,
          Duration.ofSeconds(1),
          0.01,
          Duration.ofMinutes(10));

  public PeerScoreParams {
    topics = Map.copyOf(topics);
    if (behaviourPenaltyWeight > 0
        || behaviourPenaltyThreshold < 0
        || !(behaviourPenaltyDecay > 0 && behaviourPenaltyDecay < 1)
        || decayInterval.isZero()
        || topicScoreCap < 0) {
      throw new IllegalArgumentException("invalid peer score parameters");
    }
  }

  TopicScoreParams topic(String topic) {
    return topics.getOrDefault(topic, defaultTopic);
  }
}
