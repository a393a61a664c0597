package io.layerproof.node.jobs;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.JobSettled;
import io.layerproof.chain.settlement.SettledJob;
import io.layerproof.chain.settlement.SettlementService;
import java.util.Objects;

/**
 * Runs settlement passes (finalize due jobs, post the epoch's reward root, claim for the local
 * nodes) and records each settled job on the ledger as the sequencer's {@code JobSettled}. The
 * service's outbox keeps a settled job's event until it is on the ledger, so a crash in between
 * only delays it (and one that struck after the append does not log it twice).
 */
public final class Settler {

  private final SettlementService service;
  private final SequencerLedger ledger;
  private final EventSigner sequencer;

  public Settler(SettlementService service, SequencerLedger ledger, EventSigner sequencer) {
    this.service = Objects.requireNonNull(service, "service");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.sequencer = Objects.requireNonNull(sequencer, "sequencer");
  }

  public SettlementService service() {
    return service;
  }

  /** One pass; returns the report after the ledger holds (and LedgerAnchor anchors) its events. */
  public synchronized SettlementService.RunReport runOnce() {
    SettlementService.RunReport report = service.runOnce();
    boolean appended = false;
    for (SettledJob owed : service.pendingLedgerEvents()) {
      // A crash between the append and the acknowledgement leaves the event owed but logged.
      if (!ledger.has(Bytes32.fromHex(owed.jobId()), JobSettled.class)) {
        ledger.append(sequencer, owed.ledgerEvent());
      }
      service.acknowledgeLedgerEvent(owed.seq());
      appended = true;
    }
    if (appended) {
      ledger.anchor();
    }
    return report;
  }
}
