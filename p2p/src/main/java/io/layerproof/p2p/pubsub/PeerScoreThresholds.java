package io.layerproof.p2p.pubsub;

/**
 * Score thresholds (gossipsub v1.1), the defaults of js gossipsub.
 *
 * @param gossip below it, no gossip is emitted to or accepted from the peer
 * @param publish below it, our own messages are not flood-published to the peer
 * @param graylist below it, all of the peer's RPCs are ignored
 * @param acceptPx minimum score of a pruning peer whose peer exchange we act on
 * @param opportunisticGraft median mesh score below which we graft better peers
 */
public record PeerScoreThresholds(
    double gossip, double publish, double graylist, double acceptPx, double opportunisticGraft) {

  public static final PeerScoreThresholds DEFAULT = new PeerScoreThresholds(-10, -50, -80, 10, 20);

  public PeerScoreThresholds {
    if (!(gossip <= 0
        && publish <= gossip
        && graylist < publish
        && acceptPx >= 0
        && opportunisticGraft >= 0)) {
      throw new IllegalArgumentException("need 0 >= gossip >= publish > graylist, acceptPx >= 0");
    }
  }
}
