package io.layerproof.chain.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an author signs: the event and where it belongs. Its canonical JSON ({@link CanonicalJson})
 * is hashed and signed; see {@link EnvelopeFormat}.
 *
 * @param version encoding version ({@code "v"}); {@link EnvelopeFormat#VERSION} today
 * @param chainId the chain the ledger anchors to
 * @param contract the JobMarket address of the deployment
 * @param author the node that states this fact (its Ed25519 key)
 * @param seq the author's own counter: its first event has 0, each next one the next number
 * @param id unique id chosen by the author; the same id is stored at most once
 * @param event the fact
 * @param buyerSig the buyer's EIP-712 signature when a buyer authorised the event, else null
 */
public record EventBody(
    @JsonProperty("v") int version,
    long chainId,
    EthAddress contract,
    NodeId author,
    long seq,
    EventId id,
    LedgerEvent event,
    EcdsaSignature buyerSig) {

  public EventBody {
    Checks.present(contract, "contract");
    Checks.present(author, "author");
    Checks.nonNegative(seq, "seq");
    Checks.present(id, "id");
    Checks.present(event, "event");
  }

  @JsonIgnore
  public LedgerDomain domain() {
    return new LedgerDomain(chainId, contract);
  }
}
