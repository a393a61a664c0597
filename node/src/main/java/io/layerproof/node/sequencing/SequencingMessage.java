package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.node.election.Session;
import java.util.List;

/** The messages of event routing, all on {@link SequencingNode#TOPIC}. */
public sealed interface SequencingMessage {
  /** Producer to sequencer (direct): please index this; re-sent until it comes back indexed. */
  record SubmitEvent(ProducerEvent event) implements SequencingMessage {}

  /** Sequencer to all: entries just appended, in index order. */
  record EventsIndexed(Session session, List<LogEntry> entries) implements SequencingMessage {
    public EventsIndexed {
      entries = List.copyOf(entries);
    }
  }

  /** Anyone to anyone (direct): send me up to {@code max} entries from {@code sinceIdx}. */
  record RequestEventLog(long sinceIdx, int max) implements SequencingMessage {}

  /**
   * The answer to {@link RequestEventLog}, with the responder's head, anchor mark and pin (or null)
   * so the requester knows whether to page on and how far the responder's history is final or may
   * be anchored.
   */
  record EventLogPage(
      long sinceIdx,
      List<LogEntry> entries,
      long head,
      Bytes32 headHash,
      AnchorMark mark,
      ProposedBatch pin)
      implements SequencingMessage {
    public EventLogPage {
      entries = List.copyOf(entries);
    }
  }

  /**
   * Follower to sequencer (direct): I hold your log up to {@code head}, ending in this hash, know
   * batches up to {@code anchoredBatch} (-1: none) to be anchored, and keep {@code pin} (or null).
   * A sequencer that learns of an anchored or pinned batch it lacks catches up again; one waiting
   * to anchor counts the followers that pinned its proposal.
   */
  record LogAck(Session session, long head, Bytes32 headHash, long anchoredBatch, ProposedBatch pin)
      implements SequencingMessage {}

  /**
   * Sequencer to all, before it sends an anchor transaction (re-sent with heartbeats until enough
   * followers pinned it): the batch it will post. Followers holding its entries pin them and ack.
   */
  record AnchorProposal(Session session, ProposedBatch batch) implements SequencingMessage {}

  /**
   * Sequencer to all, periodically and after each anchoring: who sequences (and at which election
   * clock), how far the log goes and how far it is anchored. Lets idle followers notice gaps and
   * nodes that disagree about the session notice it.
   */
  record SequencerHeartbeat(
      Session session, long clock, long head, Bytes32 headHash, AnchorMark mark)
      implements SequencingMessage {}
}
