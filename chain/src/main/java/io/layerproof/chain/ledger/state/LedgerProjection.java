package io.layerproof.chain.ledger.state;

import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.IndexedEvent;
import java.util.List;

/**
 * Keeps a {@link LedgerState} up to date with an {@link EventLog}: {@link #catchUp} applies every
 * durable event not applied yet and stores a snapshot in the ledger every {@code snapshotEvery}
 * events (after indices K-1, 2K-1, ...), so a restart replays at most K events.
 */
public final class LedgerProjection {

  private static final int PAGE = 1024;

  private final EventLog ledger;
  private final int snapshotEvery;
  private LedgerState state;

  private LedgerProjection(EventLog ledger, int snapshotEvery, LedgerState start) {
    if (snapshotEvery < 0) {
      throw new IllegalArgumentException("snapshotEvery must be >= 0");
    }
    this.ledger = ledger;
    this.snapshotEvery = snapshotEvery;
    this.state = start;
  }

  /** Starts from the empty state (index 0); {@code snapshotEvery} 0 stores no snapshots. */
  public static LedgerProjection fromGenesis(EventLog ledger, int snapshotEvery) {
    return new LedgerProjection(ledger, snapshotEvery, LedgerState.EMPTY);
  }

  /** Starts from the latest stored snapshot, or from genesis if there is none. */
  public static LedgerProjection fromLatestSnapshot(EventLog ledger, int snapshotEvery) {
    LedgerState start =
        ledger
            .snapshotAtOrBefore(ledger.head())
            .map(s -> LedgerState.fromBytes(s.state()))
            .orElse(LedgerState.EMPTY);
    return new LedgerProjection(ledger, snapshotEvery, start);
  }

  /** The state replayed from index 0, storing nothing. */
  public static LedgerState replayFromGenesis(EventLog ledger) {
    return fromGenesis(ledger, 0).catchUp();
  }

  /** The state replayed from the latest snapshot, storing nothing new. */
  public static LedgerState replayFromLatestSnapshot(EventLog ledger) {
    return fromLatestSnapshot(ledger, 0).catchUp();
  }

  public LedgerState state() {
    return state;
  }

  /** Applies every durable event after the current state; returns the new state. */
  public LedgerState catchUp() {
    while (true) {
      List<IndexedEvent> page = ledger.read(state.lastIndex() + 1, PAGE);
      if (page.isEmpty()) {
        return state;
      }
      for (IndexedEvent e : page) {
        state = LedgerTransition.apply(state, e);
        if (snapshotEvery > 0 && (e.index() + 1) % snapshotEvery == 0) {
          ledger.saveSnapshot(e.index(), state.toBytes());
        }
      }
    }
  }
}
