package io.layerproof.node.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.layerproof.node.audit.AuditReport.Assignment;
import io.layerproof.node.audit.AuditReport.Batch;
import io.layerproof.node.audit.AuditReport.Check;
import io.layerproof.node.audit.AuditReport.Claim;
import io.layerproof.node.audit.AuditReport.Commitment;
import io.layerproof.node.audit.AuditReport.Event;
import io.layerproof.node.audit.AuditReport.LedgerPayout;
import io.layerproof.node.audit.AuditReport.Movement;
import io.layerproof.node.audit.AuditReport.Payments;
import io.layerproof.node.audit.AuditReport.Request;
import io.layerproof.node.audit.AuditReport.Shard;
import io.layerproof.node.audit.AuditReport.Tx;
import io.layerproof.node.audit.AuditReport.Verification;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** An {@link AuditReport} as aligned text for people or as JSON for machines. */
public final class AuditReports {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AuditReports() {}

  /** The report as pretty-printed JSON (every field, null where unknown), ending in a newline. */
  public static String json(AuditReport report) {
    try {
      return JSON.writeValueAsString(report) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the audit report as JSON", e);
    }
  }

  /** Reads a report written by {@link #json}. */
  public static AuditReport fromJson(String json) {
    try {
      return JSON.readValue(json, AuditReport.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an audit report: " + e.getMessage(), e);
    }
  }

  /** The report as aligned text, one section per kind of fact, the verdict last. */
  public static String text(AuditReport r) {
    StringBuilder out = new StringBuilder();
    line(out, "Audit of job " + r.jobId());
    Table head = new Table();
    head.row(
        "chain",
        r.deployment().chainId()
            + "  JobMarket "
            + r.deployment().market()
            + "  LedgerAnchor "
            + r.deployment().anchor());
    head.row("status", r.chainStatus() + " on chain");
    head.print(out, "  ");

    section(out, "Request");
    Request q = r.request();
    if (q == null) {
      line(out, "  no JobPosted on the ledger");
    } else {
      Table t = new Table();
      t.row("ledger index", String.valueOf(q.ledgerIndex()));
      t.row("digest", q.digest() + (q.digestIsJobId() ? "  (= job id)" : "  (NOT the job id)"));
      t.row("signer", orDash(q.signer()) + "  (recovered from the buyer signature)");
      t.row("ledger buyer", q.ledgerBuyer());
      t.row("chain buyer", orDash(q.chainBuyer()));
      t.row("model", q.model());
      t.row("messages", q.messagesHash());
      t.row("max tokens", q.maxTokens());
      t.row("max price", q.maxPrice());
      t.row("nonce", q.nonce());
      t.row("expiry", q.expiry());
      t.row("opened", txText(q.opened()) + (q.sequencer() == null ? "" : "  by " + q.sequencer()));
      t.print(out, "  ");
    }

    section(out, "Shard assignment");
    Assignment a = r.assignment();
    Table shards = new Table();
    shards.row("shard", "ledger layers", "ledger node", "chain layers", "chain provider", "check");
    for (Shard s : a.shards()) {
      shards.row(
          String.valueOf(s.index()),
          layers(s.ledgerStartLayer(), s.ledgerEndLayer()),
          orDash(s.ledgerProvider()),
          layers(s.chainStartLayer(), s.chainEndLayer()),
          orDash(s.chainProvider()),
          String.valueOf(s.status()));
    }
    shards.print(out, "  ");
    line(
        out,
        "  verifier  ledger node "
            + orDash(a.ledgerVerifier())
            + "  chain "
            + orDash(a.chainVerifier())
            + (a.verifierStatus() == null ? "" : "  " + a.verifierStatus()));

    section(out, "Commitments");
    Table commits = new Table();
    commits.row("shard", "ledger root", "chain root", "work units", "posted in", "check");
    for (Commitment c : r.commitments()) {
      commits.row(
          String.valueOf(c.shard()),
          orDash(c.ledgerRoot()),
          orDash(c.chainRoot()),
          orDash(c.chainWorkUnits()),
          c.posted() == null ? "-" : c.posted().hash(),
          String.valueOf(c.status()));
    }
    commits.print(out, "  ");

    section(out, "Ledger events");
    Table events = new Table();
    events.row("index", "type", "batch", "anchored", "java proof", "LedgerAnchor", "check");
    for (Event e : r.events()) {
      events.row(
          String.valueOf(e.index()),
          e.type(),
          e.batch() == null ? "open" : String.valueOf(e.batch()),
          e.anchored() ? "yes" : "no",
          bool(e.javaProof()),
          bool(e.chainProof()),
          String.valueOf(e.status()));
    }
    events.print(out, "  ");
    if (!r.batches().isEmpty()) {
      line(out, "");
      Table batches = new Table();
      batches.row("batch", "events", "ledger root", "anchored root", "anchored in", "check");
      for (Batch b : r.batches()) {
        batches.row(
            String.valueOf(b.index()),
            b.firstIndex() + ".." + (b.firstIndex() + b.eventCount() - 1),
            b.ledgerRoot(),
            orDash(b.chainRoot()),
            b.anchoredBy() == null ? "-" : txText(b.anchoredBy()),
            String.valueOf(b.status()));
      }
      batches.print(out, "  ");
    }

    section(out, "Verification");
    if (r.verification().isEmpty()) {
      line(out, "  no verdict on the ledger");
    } else {
      Table v = new Table();
      v.row("shard", "result", "index", "samples", "failed", "by node");
      for (Verification x : r.verification()) {
        long failed = x.samples().stream().filter(s -> Boolean.FALSE.equals(s.matched())).count();
        v.row(
            String.valueOf(x.shard()),
            x.kind(),
            String.valueOf(x.ledgerIndex()),
            String.valueOf(x.samples().size()),
            x.kind().equals("FRAUD") ? String.valueOf(failed) : "-",
            x.author());
      }
      v.print(out, "  ");
      for (Verification x : r.verification()) {
        List<String> cells = new ArrayList<>();
        x.samples()
            .forEach(
                s ->
                    cells.add(
                        "("
                            + s.token()
                            + ","
                            + s.layer()
                            + (s.matched() == null
                                ? ""
                                : s.matched() ? " ok" : " MISS " + s.maxErrorPpm() + "ppm")
                            + ")"));
        line(out, "  shard " + x.shard() + " samples (token,layer): " + String.join(" ", cells));
        if (x.evidenceHash() != null) {
          line(out, "  shard " + x.shard() + " accused " + x.accused());
          line(out, "  shard " + x.shard() + " evidence " + x.evidenceHash());
        }
      }
    }

    section(out, "Payments");
    Payments p = r.payments();
    Table pt = new Table();
    pt.row("outcome", p.outcome());
    pt.row("settled in", txText(p.settledBy()));
    pt.row("max price", orDash(p.maxPrice()));
    pt.row("cost", orDash(p.cost()));
    pt.row("verifier fee", orDash(p.verifierFee()));
    pt.row("refund", orDash(p.refund()));
    pt.row("work units", orDash(p.totalWorkUnits()));
    pt.print(out, "  ");
    if (!p.movements().isEmpty()) {
      line(out, "");
      Table m = new Table();
      m.row("kind", "account", "amount (wei)", "tx");
      for (Movement x : p.movements()) {
        m.row(
            x.kind(), x.account() == null ? "(treasury)" : x.account(), x.amount(), x.tx().hash());
      }
      m.print(out, "  ");
    }
    if (!p.claims().isEmpty()) {
      line(out, "");
      Table c = new Table();
      c.row("claimed by", "amount (wei)", "cumulative", "tx");
      for (Claim x : p.claims()) {
        c.row(x.account(), x.amount(), x.cumulative(), txText(x.tx()));
      }
      c.print(out, "  ");
    }
    for (String account : p.unclaimed()) {
      line(out, "  not claimed yet: " + account);
    }
    if (p.ledger() != null) {
      line(out, "");
      line(
          out,
          "  ledger JobSettled at index "
              + p.ledger().ledgerIndex()
              + ": refund "
              + p.ledger().refund());
      for (LedgerPayout lp : p.ledger().payouts()) {
        line(out, "    pays " + lp.recipient() + "  " + lp.amount());
      }
    }

    section(out, "Checks");
    Table checks = new Table();
    for (Check c : r.checks()) {
      checks.row(String.valueOf(c.status()), c.name(), c.detail());
    }
    checks.print(out, "  ");

    line(out, "");
    if (r.passed()) {
      line(
          out,
          "Verdict: VERIFIED"
              + (r.warnings().isEmpty()
                  ? ""
                  : " with " + r.warnings().size() + " warning(s) (not failures)"));
    } else {
      line(out, "Verdict: FAILED (" + r.failures().size() + ")");
      for (String f : r.failures()) {
        line(out, "  - " + f);
      }
    }
    return out.toString();
  }

  private static void section(StringBuilder out, String title) {
    line(out, "");
    line(out, title);
  }

  private static void line(StringBuilder out, String s) {
    out.append(s).append(System.lineSeparator());
  }

  private static String orDash(String s) {
    return s == null ? "-" : s;
  }

  private static String bool(Boolean b) {
    return b == null ? "-" : b ? "ok" : "FAILS";
  }

  private static String layers(Integer start, Integer end) {
    return start == null ? "-" : start + ".." + end;
  }

  private static String txText(Tx tx) {
    return tx == null ? "-" : tx.hash() + " (block " + tx.block() + ")";
  }

  /** Columns padded to their widest cell; the last column is not padded. */
  private static final class Table {
    private final List<String[]> rows = new ArrayList<>();

    void row(String... cells) {
      rows.add(cells);
    }

    void print(StringBuilder out, String indent) {
      int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
      int[] width = new int[columns];
      for (String[] r : rows) {
        for (int i = 0; i < r.length; i++) {
          width[i] = Math.max(width[i], r[i].length());
        }
      }
      for (String[] r : rows) {
        StringBuilder b = new StringBuilder(indent);
        for (int i = 0; i < r.length; i++) {
          b.append(r[i]);
          if (i < r.length - 1) {
            b.append(" ".repeat(width[i] - r[i].length() + 2));
          }
        }
        line(out, b.toString().stripTrailing());
      }
    }
  }
}
