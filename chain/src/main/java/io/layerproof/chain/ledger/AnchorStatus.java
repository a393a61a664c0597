package io.layerproof.chain.ledger;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.layerproof.chain.event.Bytes32;
import java.util.Objects;

/**
 * Where a sealed batch stands with LedgerAnchor; kept in the ledger so anchoring resumes after a
 * restart.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "status")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AnchorStatus.Pending.class, name = "pending"),
  @JsonSubTypes.Type(value = AnchorStatus.Anchored.class, name = "anchored"),
  @JsonSubTypes.Type(value = AnchorStatus.Rejected.class, name = "rejected")
})
public sealed interface AnchorStatus {

  /**
   * Sealed, not known to be on chain yet.
   *
   * @param attempts failed attempts so far (transient errors: I/O, timeouts, nonce races)
   * @param lastError the last transient error, or empty
   */
  record Pending(int attempts, String lastError) implements AnchorStatus {
    public Pending {
      Objects.requireNonNull(lastError, "lastError");
    }

    public static Pending fresh() {
      return new Pending(0, "");
    }
  }

  /** On chain: mined in {@code blockNumber} by {@code txHash} (zero if found already anchored). */
  record Anchored(Bytes32 txHash, long blockNumber, long gasUsed) implements AnchorStatus {
    public Anchored {
      Objects.requireNonNull(txHash, "txHash");
    }
  }

  /**
   * LedgerAnchor refused the batch for good: {@code errorName} is the contract's custom error
   * (PrevRootMismatch, BatchAlreadyAnchored, BatchNotNext, NotSequencer, ...).
   */
  record Rejected(String errorName, String message) implements AnchorStatus {
    public Rejected {
      Objects.requireNonNull(errorName, "errorName");
      Objects.requireNonNull(message, "message");
    }
  }
}
