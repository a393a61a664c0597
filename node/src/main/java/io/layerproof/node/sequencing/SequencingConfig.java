package io.layerproof.node.sequencing;

import java.time.Duration;

/**
 * Sequencing knobs.
 *
 * @param pageSize entries per {@code RequestEventLog} page (clamped to the codec's maximum)
 * @param batchMaxEvents a batch is cut once it holds this many events ...
 * @param batchMaxAge ... or once its oldest event waited this long
 * @param heartbeatInterval how often the sequencer announces its head and anchor mark
 * @param catchUpTimeout how long a new sequencer waits for peers' logs before sequencing
 * @param minAcks other nodes that must hold a batch before it is anchored (capped at the other
 *     members), so an anchored batch outlives its sequencer
 * @param minorityAnchorDelay how long a sequencer that sees only a minority of the membership holds
 *     back its batches, so the majority side's sequencer anchors first and the minority's attempt
 *     is the one the chain refuses
 * @param producerRetry backoff of a producer re-sending events that have not come back indexed
 * @param gapRetry backoff of a follower re-requesting a gap in its log
 * @param anchorRetry backoff after an anchoring attempt failed (not refused)
 * @param reorderLimit how far ahead of a producer's next number events are buffered
 */
public record SequencingConfig(
    int pageSize,
    int batchMaxEvents,
    Duration batchMaxAge,
    Duration heartbeatInterval,
    Duration catchUpTimeout,
    int minAcks,
    Duration minorityAnchorDelay,
    Backoffs producerRetry,
    Backoffs gapRetry,
    Backoffs anchorRetry,
    int reorderLimit) {

  /** Initial and maximum delay of a {@link Backoff}. */
  public record Backoffs(Duration initial, Duration max) {
    public Backoff create() {
      return new Backoff(initial, max);
    }
  }

  public SequencingConfig {
    if (pageSize < 1 || batchMaxEvents < 1 || minAcks < 0 || reorderLimit < 1) {
      throw new IllegalArgumentException("page size, batch size and reorder limit must be >= 1");
    }
    pageSize = Math.min(pageSize, SequencingCodec.MAX_ENTRIES);
  }

  public static SequencingConfig defaults() {
    return new SequencingConfig(
        256,
        256,
        Duration.ofSeconds(2),
        Duration.ofMillis(500),
        Duration.ofSeconds(3),
        1,
        Duration.ofSeconds(30),
        new Backoffs(Duration.ofMillis(200), Duration.ofSeconds(5)),
        new Backoffs(Duration.ofMillis(100), Duration.ofSeconds(2)),
        new Backoffs(Duration.ofMillis(500), Duration.ofSeconds(10)),
        4096);
  }
}
