package io.layerproof.chain.contracts;

import static io.layerproof.chain.contracts.Eip712.bytes32;
import static io.layerproof.chain.contracts.Eip712.uint;

import io.layerproof.contracts.generated.JobMarket;
import java.math.BigInteger;
import java.security.SignatureException;
import org.web3j.crypto.Credentials;

/**
 * EIP-712 hashing and signing of the structs JobMarket verifies, by hand with keccak256 so the
 * bytes are exactly the contract's: the buyer's {@code JobRequest} (its digest is the jobId), the
 * buyer's {@code SessionGrant} and {@code RevokeSession}, and a verifier's {@code FraudVerdict}.
 * Domain: name "Layerproof JobMarket", version "1", the chain id and the market's address.
 */
public final class JobMarketEip712 {

  public static final String NAME = "Layerproof JobMarket";
  public static final String VERSION = "1";

  public static final String JOB_REQUEST_TYPE =
      "JobRequest(bytes32 model,bytes32 messagesHash,uint256 maxTokens,uint256 maxPrice,"
          + "uint256 nonce,uint256 expiry)";
  public static final String FRAUD_VERDICT_TYPE =
      "FraudVerdict(bytes32 jobId,uint256 shardIndex,bytes32 evidenceHash)";

  public static final String SESSION_GRANT_TYPE =
      "SessionGrant(bytes32 sessionId,uint256 spendingCap,uint64 expiry,uint256 nonce)";
  public static final String REVOKE_SESSION_TYPE = "RevokeSession(bytes32 sessionId,uint256 nonce)";

  private static final byte[] JOB_REQUEST_TYPEHASH = Eip712.keccak(JOB_REQUEST_TYPE);
  private static final byte[] FRAUD_VERDICT_TYPEHASH = Eip712.keccak(FRAUD_VERDICT_TYPE);
  private static final byte[] SESSION_GRANT_TYPEHASH = Eip712.keccak(SESSION_GRANT_TYPE);
  private static final byte[] REVOKE_SESSION_TYPEHASH = Eip712.keccak(REVOKE_SESSION_TYPE);
  private static final BigInteger UINT64_MAX = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

  private JobMarketEip712() {}

  public static byte[] domainSeparator(long chainId, String market) {
    return Eip712.domainSeparator(NAME, VERSION, chainId, market);
  }

  /** The digest the buyer signs; JobMarket uses it as the jobId. */
  public static byte[] jobRequestDigest(long chainId, String market, JobMarket.JobRequest req) {
    byte[] structHash =
        Eip712.structHash(
            JOB_REQUEST_TYPEHASH,
            bytes32(req.model),
            bytes32(req.messagesHash),
            uint(req.maxTokens),
            uint(req.maxPrice),
            uint(req.nonce),
            uint(req.expiry));
    return Eip712.digest(domainSeparator(chainId, market), structHash);
  }

  /**
   * The digest the buyer signs once to open a spending session (JobMarket.hashSessionGrant): any
   * active sequencer may then open jobs for the buyer up to the cap until expiry or revocation.
   */
  public static byte[] sessionGrantDigest(
      long chainId, String market, JobMarket.SessionGrant grant) {
    if (grant.expiry.signum() < 0 || grant.expiry.compareTo(UINT64_MAX) > 0) {
      throw new IllegalArgumentException("uint64 expiry out of range: " + grant.expiry);
    }
    byte[] structHash =
        Eip712.structHash(
            SESSION_GRANT_TYPEHASH,
            bytes32(grant.sessionId),
            uint(grant.spendingCap),
            uint(grant.expiry),
            uint(grant.nonce));
    return Eip712.digest(domainSeparator(chainId, market), structHash);
  }

  /** The digest of a session revocation (JobMarket.hashRevokeSession). */
  public static byte[] revokeSessionDigest(
      long chainId, String market, byte[] sessionId, BigInteger nonce) {
    byte[] structHash = Eip712.structHash(REVOKE_SESSION_TYPEHASH, bytes32(sessionId), uint(nonce));
    return Eip712.digest(domainSeparator(chainId, market), structHash);
  }

  public static byte[] fraudVerdictDigest(
      long chainId, String market, byte[] jobId, BigInteger shardIndex, byte[] evidenceHash) {
    byte[] structHash =
        Eip712.structHash(
            FRAUD_VERDICT_TYPEHASH, bytes32(jobId), uint(shardIndex), bytes32(evidenceHash));
    return Eip712.digest(domainSeparator(chainId, market), structHash);
  }

  /** The buyer's 65-byte signature (r || s || v) over the request, as openJob takes it. */
  public static byte[] signJobRequest(
      long chainId, String market, JobMarket.JobRequest req, Credentials buyer) {
    return sign(jobRequestDigest(chainId, market, req), buyer);
  }

  /** The buyer's 65-byte signature over a session grant, as openJobWithSession takes it. */
  public static byte[] signSessionGrant(
      long chainId, String market, JobMarket.SessionGrant grant, Credentials buyer) {
    return sign(sessionGrantDigest(chainId, market, grant), buyer);
  }

  /** The buyer's 65-byte signature over a revocation, as revokeSessionWithSig takes it. */
  public static byte[] signRevokeSession(
      long chainId, String market, byte[] sessionId, BigInteger nonce, Credentials buyer) {
    return sign(revokeSessionDigest(chainId, market, sessionId, nonce), buyer);
  }

  /** A verifier's 65-byte signature over a fraud verdict, as resolveFraud takes it. */
  public static byte[] signFraudVerdict(
      long chainId,
      String market,
      byte[] jobId,
      BigInteger shardIndex,
      byte[] evidenceHash,
      Credentials verifier) {
    return sign(fraudVerdictDigest(chainId, market, jobId, shardIndex, evidenceHash), verifier);
  }

  /** A 65-byte r || s || v signature (v = 27 or 28) of a 32-byte digest. */
  public static byte[] sign(byte[] digest, Credentials signer) {
    return Eip712.packed(Eip712.signDigest(digest, signer));
  }

  /** The address that produced {@code signature} over {@code digest} (lowercase, 0x-prefixed). */
  public static String recover(byte[] digest, byte[] signature) throws SignatureException {
    return Eip712.recover(digest, signature);
  }
}
