package io.layerproof.node.sequencing;

/**
 * What {@link LocalLog#merge} did with entries from another node's log.
 *
 * <ul>
 *   <li>{@code MERGED}: all usable entries applied ({@code appended} new ones; {@code truncated} if
 *       a divergent provisional tail was dropped first).
 *   <li>{@code GAP}: entries start past our head; ask again from {@code nextIndex}.
 *   <li>{@code DIVERGED}: their entries do not extend ours: the logs split somewhere after the last
 *       anchored entry; ask again from {@code nextIndex} (that entry) to find where.
 *   <li>{@code WOULD_REPLACE}: (only when asked not to replace) their entry at {@code nextIndex}
 *       differs from our provisional one; nothing changed from there.
 *   <li>{@code CONFLICT_ANCHORED}: they contradict an entry we know is anchored; the sender's
 *       history is stale and nothing was changed.
 *   <li>{@code INVALID}: broken chain hash, producer order or index order; nothing changed from
 *       that entry on.
 * </ul>
 */
public record MergeResult(
    Status status, int appended, boolean truncated, long nextIndex, String reason) {
  public enum Status {
    MERGED,
    GAP,
    DIVERGED,
    WOULD_REPLACE,
    CONFLICT_ANCHORED,
    INVALID
  }

  public boolean changed() {
    return appended > 0 || truncated;
  }
}
