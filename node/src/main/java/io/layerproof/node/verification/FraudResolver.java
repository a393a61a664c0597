package io.layerproof.node.verification;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.verifier.escalation.Effect;
import io.layerproof.verifier.verdict.FraudEvidence;
import io.layerproof.verifier.verdict.LedgerVerdicts;
import io.layerproof.verifier.verdict.VerdictSigner;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Proves a conviction on chain: the accuser's FraudDetected and FraudVerdict signature, the
 * confirmers' FraudVerdict signatures over the same evidence hash, ascending by signer ({@link
 * VerdictSigner#ascendingBySigner}), sent as one {@code JobMarket.resolveFraud} from the accuser's
 * wallet. Everything is checked before anything is sent (a transaction short of the market's quorum
 * would only revert), and the FraudDetected event is signed only after JobMarket accepted the
 * proof.
 */
public final class FraudResolver {

  private final LayerproofContracts chain;
  private final VerdictSigner signer;

  /**
   * @param chain the accuser's wallet on chain: it sends resolveFraud
   * @param signer the accuser's keys (the same wallet)
   */
  public FraudResolver(LayerproofContracts chain, VerdictSigner signer) {
    if (!EthAddress.fromHex(chain.account()).equals(signer.address())) {
      throw new IllegalArgumentException("the accuser signs and sends with one wallet");
    }
    this.chain = chain;
    this.signer = signer;
  }

  /**
   * What reached the chain.
   *
   * @param fraud the signed FraudDetected (to publish on the ledger) and the accuser's signature
   * @param signers the recovered signers, in the order sent (strictly ascending)
   * @param signatures the FraudVerdict signatures as sent
   * @param proven the contract's FraudProven event: slashed, rewards, treasury, refund
   */
  public record Resolution(
      VerdictSigner.SignedFraud fraud,
      List<EthAddress> signers,
      List<byte[]> signatures,
      TransactionReceipt receipt,
      JobMarket.FraudProvenEventResponse proven) {}

  /**
   * @param confirmations each confirmer's FraudVerdict signature, by member address
   * @throws IllegalStateException when a confirmer's signature is missing or not its own, or the
   *     signatures fall short of the market's quorum (nothing is signed or sent then)
   * @throws io.layerproof.chain.contracts.ContractRevertException when JobMarket refuses
   */
  public Resolution resolve(
      Bytes32 jobId,
      int shardIndex,
      Effect.Convict convict,
      FraudEvidence evidence,
      Map<EthAddress, byte[]> confirmations) {
    if (!evidence.jobId().equals(jobId) || evidence.shardIndex() != shardIndex) {
      throw new IllegalArgumentException("the evidence is about another job or shard");
    }
    Bytes32 evidenceHash = evidence.hash();
    byte[] digest = signer.fraudVerdictDigest(jobId, shardIndex, evidenceHash);
    List<byte[]> theirs = new ArrayList<>();
    for (EthAddress member : convict.confirmers()) {
      byte[] sig = confirmations.get(member);
      if (sig == null || !member.equals(recover(digest, sig))) {
        throw new IllegalStateException(
            member + " confirmed without its own FraudVerdict signature");
      }
      theirs.add(sig);
    }
    int quorum = send(chain.market().params()).quorum.intValueExact();
    if (theirs.size() + 1 < quorum) {
      throw new IllegalStateException(
          (theirs.size() + 1) + " FraudVerdict signatures, the market needs " + quorum);
    }

    // The ledger event is checked now but signed only once the chain accepted the proof: a signed
    // event that is never published would leave a gap in this node's sequence.
    LedgerVerdicts.fraud(jobId, shardIndex, convict, evidence);
    List<byte[]> all = new ArrayList<>(theirs);
    all.add(signer.signFraudVerdict(jobId, shardIndex, evidenceHash));
    List<byte[]> ordered;
    try {
      ordered = VerdictSigner.ascendingBySigner(digest, all);
    } catch (SignatureException e) {
      throw new IllegalStateException("FraudVerdict signatures: " + e.getMessage(), e);
    }
    List<EthAddress> signers = ordered.stream().map(s -> recover(digest, s)).toList();

    TransactionReceipt receipt =
        send(
            chain
                .market()
                .resolveFraud(
                    jobId.toByteArray(),
                    BigInteger.valueOf(shardIndex),
                    evidenceHash.toByteArray(),
                    ordered));
    List<JobMarket.FraudProvenEventResponse> proven = JobMarket.getFraudProvenEvents(receipt);
    if (proven.size() != 1
        || !Arrays.equals(proven.get(0).evidenceHash, evidenceHash.toByteArray())) {
      throw new IllegalStateException(
          "resolveFraud " + receipt.getTransactionHash() + " did not prove this evidence");
    }
    return new Resolution(
        signer.fraud(convict, evidence), signers, ordered, receipt, proven.get(0));
  }

  private static EthAddress recover(byte[] digest, byte[] signature) {
    try {
      return EthAddress.fromHex(JobMarketEip712.recover(digest, signature));
    } catch (SignatureException e) {
      throw new IllegalStateException("a FraudVerdict signature does not recover", e);
    }
  }
}
