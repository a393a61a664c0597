package io.layerproof.node.election;

import io.layerproof.chain.event.NodeId;
import java.util.Comparator;

/**
 * A node's candidacy in the campaign at {@code clock}: EXO's {@code (clock, seniority,
 * commandsSeen, nodeId)}, compared in that order, largest wins. {@code seniority} is -1 for a node
 * that must not be chosen while others are (EXO's non-candidate; here: a node that knows its
 * history is behind the chain). {@code sessionClock} is not compared: it is the clock of the
 * session the node proposes, its current one if it is the sequencer, else {@code clock}.
 */
public record ElectionMessage(
    long clock, long seniority, long commandsSeen, NodeId nodeId, long sessionClock)
    implements Comparable<ElectionMessage> {

  private static final Comparator<ElectionMessage> ORDER =
      Comparator.comparingLong(ElectionMessage::clock)
          .thenComparingLong(ElectionMessage::seniority)
          .thenComparingLong(ElectionMessage::commandsSeen)
          .thenComparing(ElectionMessage::nodeId);

  public ElectionMessage {
    if (clock < 0 || seniority < -1 || commandsSeen < 0 || sessionClock < 0) {
      throw new IllegalArgumentException("negative clock, seniority < -1 or negative counter");
    }
    if (sessionClock > clock) {
      throw new IllegalArgumentException("session clock " + sessionClock + " > clock " + clock);
    }
  }

  /** The session this candidate would run if it won. */
  public Session proposedSession() {
    return new Session(nodeId, sessionClock);
  }

  @Override
  public int compareTo(ElectionMessage other) {
    return ORDER.compare(this, other);
  }
}
