package io.layerproof.node.gateway;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One session as stored: an immutable snapshot; a charge or a revocation makes a new one.
 *
 * @param keyHash SHA-256 of the API key (the key itself is never stored)
 * @param cap the spending cap, token base units
 * @param expiry Unix seconds
 * @param spent charged so far, token base units
 * @param grantNonce the signed grant's nonce
 * @param grantSignature the owner's 65-byte signature over the grant, 0x hex (what JobMarket's
 *     openJobWithSession checks); empty for a session opened without one (store-level tests)
 */
public record Session(
    Bytes32 sessionId,
    Bytes32 keyHash,
    EthAddress owner,
    BigInteger cap,
    long expiry,
    BigInteger spent,
    boolean revoked,
    BigInteger grantNonce,
    String grantSignature) {

  public Session {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(cap, "cap");
    Objects.requireNonNull(spent, "spent");
    Objects.requireNonNull(grantNonce, "grantNonce");
    Objects.requireNonNull(grantSignature, "grantSignature");
  }

  /** The grant the owner signed. */
  public io.layerproof.wallet.eip712.SessionGrant grant() {
    return new io.layerproof.wallet.eip712.SessionGrant(sessionId, cap, expiry, grantNonce);
  }

  /** The owner's signature over {@link #grant()}. */
  public byte[] signature() {
    return org.web3j.utils.Numeric.hexStringToByteArray(grantSignature);
  }

  Session withSpent(BigInteger newSpent) {
    return new Session(
        sessionId, keyHash, owner, cap, expiry, newSpent, revoked, grantNonce, grantSignature);
  }

  Session asRevoked() {
    return new Session(
        sessionId, keyHash, owner, cap, expiry, spent, true, grantNonce, grantSignature);
  }
}
