package io.layerproof.node.jobs;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.ledger.AnchorStatus;
import io.layerproof.chain.ledger.BatchRecord;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.IndexedEvent;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.node.audit.AuditReports;
import io.layerproof.node.audit.JobAuditor;
import io.layerproof.node.audit.UnknownJobException;
import io.layerproof.node.gateway.JobQueries;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.web3j.utils.Numeric;

/**
 * Job views from the node's own ledger and the chain: the chain's record of the job (status,
 * escrow, shards with their roots), the job's ledger events with where each is anchored, and on
 * request the full {@link JobAuditor} report.
 */
public final class LedgerJobQueries implements JobQueries {

  private static final List<String> STATUS = List.of("none", "open", "finalized", "fraud");

  private final EventLog log;
  private final LayerproofContracts reader;
  private final long fromBlock;

  /**
   * @param reader contract handles used only to read
   * @param fromBlock the deployment's first block (where the auditor starts reading logs)
   */
  public LedgerJobQueries(EventLog log, LayerproofContracts reader, long fromBlock) {
    this.log = Objects.requireNonNull(log, "log");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.fromBlock = fromBlock;
  }

  @Override
  public Optional<JsonObject> job(Bytes32 id) {
    JobMarket.Job onChain = send(reader.market().jobInfo(id.toByteArray()));
    int status = onChain.status.intValueExact();
    List<Long> indices = log.indicesOfJob(id);
    if (status == 0 && indices.isEmpty()) {
      return Optional.empty();
    }
    JsonObject out = new JsonObject().put("object", "job").put("id", id.toString());
    JsonObject chain = new JsonObject().put("status", STATUS.get(status));
    if (status != 0) {
      chain
          .put("buyer", onChain.buyer.toLowerCase(java.util.Locale.ROOT))
          .put("verifier", onChain.verifier.toLowerCase(java.util.Locale.ROOT))
          .put("maxPrice", onChain.maxPrice.toString())
          .put("unitPrice", onChain.unitPrice.toString())
          .put("totalWorkUnits", onChain.totalWorkUnits.toString())
          .put("commitDeadline", onChain.commitDeadline.longValueExact())
          .put("challengeEndsAt", challengeEnd(id, onChain));
      JsonArray shards = new JsonArray();
      for (int i = 0; i < onChain.shardCount.intValueExact(); i++) {
        JobMarket.Shard s =
            send(reader.market().shardInfo(id.toByteArray(), java.math.BigInteger.valueOf(i)));
        shards.add(
            new JsonObject()
                .put("index", i)
                .put("provider", s.provider.toLowerCase(java.util.Locale.ROOT))
                .put("startLayer", s.startLayer.intValueExact())
                .put("endLayer", s.endLayer.intValueExact())
                .put("workUnits", s.workUnits.toString())
                .put("root", committed(s.root) ? Numeric.toHexString(s.root) : null));
      }
      chain.put("shards", shards);
    }
    out.put("chain", chain);
    JsonArray events = new JsonArray();
    for (long index : indices) {
      IndexedEvent e = log.get(index).orElseThrow();
      JsonObject ev =
          new JsonObject()
              .put("index", index)
              .put("type", e.envelope().event().type())
              .put("author", e.envelope().author().toString());
      Optional<BatchRecord> batch = log.batchContaining(index);
      if (batch.isEmpty()) {
        ev.put("anchor", "open batch");
      } else {
        ev.put("batch", batch.get().batchIndex());
        AnchorStatus a = log.anchorStatus(batch.get().batchIndex());
        if (a instanceof AnchorStatus.Anchored anchored) {
          ev.put("anchor", "anchored").put("anchorTx", anchored.txHash().toString());
        } else {
          ev.put("anchor", a instanceof AnchorStatus.Pending ? "pending" : "rejected");
        }
      }
      events.add(ev);
    }
    out.put("events", events);
    return Optional.of(out);
  }

  private long challengeEnd(Bytes32 id, JobMarket.Job job) {
    if (job.status.intValueExact() != 1) {
      return 0;
    }
    return send(reader.market().challengeEndsAt(id.toByteArray())).longValueExact();
  }

  private static boolean committed(byte[] root) {
    for (byte b : root) {
      if (b != 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Optional<JsonObject> audit(Bytes32 id) {
    try {
      var report =
          new JobAuditor(log, reader, fromBlock, JobAuditor.DEFAULT_LOG_BLOCK_CHUNK).audit(id);
      return Optional.of(new JsonObject(AuditReports.json(report)));
    } catch (UnknownJobException e) {
      return Optional.empty();
    }
  }
}
