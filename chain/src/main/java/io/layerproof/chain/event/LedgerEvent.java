package io.layerproof.chain.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Optional;

/**
 * A fact of the network, in the past tense. Every event travels signed by its author in a {@link
 * SignedEvent}; the sequencer gives it a global index and every node applies it in that order.
 *
 * <p>JSON: an object with the record's fields and a {@code "type"} discriminator (the record's
 * simple name). It is an existing property rather than Jackson's usual type prefix so that it sorts
 * among the fields like any other key (see {@link CanonicalJson}).
 */
@JsonTypeInfo(
    use = JsonTypeInfo.Id.NAME,
    include = JsonTypeInfo.As.EXISTING_PROPERTY,
    property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = NodeJoined.class, name = "NodeJoined"),
  @JsonSubTypes.Type(value = NodeTimedOut.class, name = "NodeTimedOut"),
  @JsonSubTypes.Type(value = JobPosted.class, name = "JobPosted"),
  @JsonSubTypes.Type(value = ShardsAssigned.class, name = "ShardsAssigned"),
  @JsonSubTypes.Type(value = TokenStreamed.class, name = "TokenStreamed"),
  @JsonSubTypes.Type(value = LayerCommitmentsGenerated.class, name = "LayerCommitmentsGenerated"),
  @JsonSubTypes.Type(value = VerificationPassed.class, name = "VerificationPassed"),
  @JsonSubTypes.Type(value = FraudDetected.class, name = "FraudDetected"),
  @JsonSubTypes.Type(value = JobSettled.class, name = "JobSettled"),
  @JsonSubTypes.Type(value = BatchAnchored.class, name = "BatchAnchored")
})
public sealed interface LedgerEvent
    permits NodeJoined,
        NodeTimedOut,
        JobPosted,
        ShardsAssigned,
        TokenStreamed,
        LayerCommitmentsGenerated,
        VerificationPassed,
        FraudDetected,
        JobSettled,
        BatchAnchored {

  /** The type discriminator: the record's simple name. */
  @JsonProperty("type")
  default String type() {
    return getClass().getSimpleName();
  }

  /** The job this event is about, if any (the ledger indexes events by job). */
  @JsonIgnore
  default Optional<Bytes32> job() {
    return Optional.empty();
  }

  /** Nodes this event names besides its author (the ledger indexes events by node). */
  @JsonIgnore
  default List<NodeId> nodes() {
    return List.of();
  }
}
