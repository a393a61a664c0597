package io.layerproof.verifier.verdict;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.CanonicalJson;
import io.layerproof.chain.event.Ed25519Signature;
import io.layerproof.chain.event.EnvelopeFormat;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.EventBody;
import io.layerproof.chain.event.EventId;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.LedgerEvent;
import io.layerproof.chain.event.NodeId;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.verifier.escalation.Effect;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.web3j.crypto.Credentials;

/**
 * A verifier's two signatures on a verdict: its node key (Ed25519, through the author's {@link
 * EventSigner}) on the ledger event, and its wallet key (secp256k1) on JobMarket's EIP-712 {@code
 * FraudVerdict(jobId, shardIndex, evidenceHash)}, the digest {@code JobMarket.hashFraudVerdict}
 * computes and {@code resolveFraud} recovers. Quorum members use {@link #signFraudVerdict} alone.
 */
public final class VerdictSigner {

  private final EventSigner events;
  private final Credentials wallet;
  private final LedgerDomain domain;

  /**
   * @param events the node's one signer (it owns the author's sequence numbers), set up for {@code
   *     domain}
   * @param wallet the verifier's registered staking account
   * @param domain chain id and JobMarket address: the ledger's domain and the EIP-712 domain
   */
  public VerdictSigner(EventSigner events, Credentials wallet, LedgerDomain domain) {
    if (events == null || wallet == null || domain == null) {
      throw new IllegalArgumentException("a verdict signer needs its keys and domain");
    }
    this.events = events;
    this.wallet = wallet;
    this.domain = domain;
  }

  /** The verifier's wallet address, the signer JobMarket recovers. */
  public EthAddress address() {
    return EthAddress.fromHex(wallet.getAddress());
  }

  public NodeId node() {
    return events.author();
  }

  /** {@code VerificationPassed}, signed. */
  public SignedEvent passed(Bytes32 jobId, int shardIndex, Effect.Pass pass) {
    return sign(LedgerVerdicts.passed(jobId, shardIndex, pass));
  }

  /** {@code FraudDetected} signed by the node key, and the wallet's FraudVerdict signature. */
  public SignedFraud fraud(Effect.Convict convict, FraudEvidence evidence) {
    Bytes32 evidenceHash = evidence.hash();
    SignedEvent event =
        sign(LedgerVerdicts.fraud(evidence.jobId(), evidence.shardIndex(), convict, evidence));
    return new SignedFraud(
        event,
        evidenceHash,
        signFraudVerdict(evidence.jobId(), evidence.shardIndex(), evidenceHash));
  }

  /** JobMarket's {@code hashFraudVerdict(jobId, shardIndex, evidenceHash)} in this domain. */
  public byte[] fraudVerdictDigest(Bytes32 jobId, int shardIndex, Bytes32 evidenceHash) {
    return JobMarketEip712.fraudVerdictDigest(
        domain.chainId(),
        domain.contract().toString(),
        jobId.toByteArray(),
        BigInteger.valueOf(shardIndex),
        evidenceHash.toByteArray());
  }

  /** The wallet's 65-byte (r, s, v) signature over {@link #fraudVerdictDigest}. */
  public byte[] signFraudVerdict(Bytes32 jobId, int shardIndex, Bytes32 evidenceHash) {
    return JobMarketEip712.sign(fraudVerdictDigest(jobId, shardIndex, evidenceHash), wallet);
  }

  /**
   * {@code signatures} over {@code digest} ordered as {@code resolveFraud} wants them: by signer
   * address, strictly ascending.
   *
   * @throws SignatureException if one does not recover, or two come from the same signer
   */
  public static List<byte[]> ascendingBySigner(byte[] digest, List<byte[]> signatures)
      throws SignatureException {
    List<EthAddress> signers = new ArrayList<>();
    for (byte[] sig : signatures) {
      signers.add(EthAddress.fromHex(JobMarketEip712.recover(digest, sig)));
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < signatures.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparing(signers::get));
    List<byte[]> out = new ArrayList<>();
    for (int k = 0; k < order.size(); k++) {
      if (k > 0 && signers.get(order.get(k)).equals(signers.get(order.get(k - 1)))) {
        throw new SignatureException("two signatures by " + signers.get(order.get(k)));
      }
      out.add(signatures.get(order.get(k)).clone());
    }
    return out;
  }

  /**
   * Refuses an event whose envelope could exceed the ledger's limit before signing it: a signed
   * event that is never published would leave a gap in the author's sequence numbers.
   */
  private SignedEvent sign(LedgerEvent event) {
    EventBody widest =
        new EventBody(
            EnvelopeFormat.VERSION,
            domain.chainId(),
            domain.contract(),
            events.author(),
            Long.MAX_VALUE,
            EventId.of(new byte[16]),
            event,
            null);
    int size =
        EnvelopeFormat.wire(CanonicalJson.encode(widest), Ed25519Signature.of(new byte[64])).length;
    if (size > EnvelopeFormat.MAX_ENVELOPE_BYTES) {
      throw new IllegalArgumentException(
          event.type()
              + " would need an envelope of "
              + size
              + " bytes, over the ledger's "
              + EnvelopeFormat.MAX_ENVELOPE_BYTES);
    }
    return events.sign(event);
  }

  /**
   * A conviction ready to publish.
   *
   * @param event the signed {@code FraudDetected}
   * @param evidenceHash what the quorum signs and {@code resolveFraud} takes
   * @param verdictSignature this verifier's EIP-712 FraudVerdict signature (65 bytes)
   */
  public record SignedFraud(SignedEvent event, Bytes32 evidenceHash, byte[] verdictSignature) {
    public SignedFraud {
      verdictSignature = verdictSignature.clone();
    }

    @Override
    public byte[] verdictSignature() {
      return verdictSignature.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SignedFraud f
          && event.equals(f.event)
          && evidenceHash.equals(f.evidenceHash)
          && Arrays.equals(verdictSignature, f.verdictSignature);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * event.hashCode() + evidenceHash.hashCode())
          + Arrays.hashCode(verdictSignature);
    }
  }
}
