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
 */
public record Session(
    Bytes32 sessionId,
    Bytes32 keyHash,
    EthAddress owner,
    BigInteger cap,
    long expiry,
    BigInteger spent,
    boolean revoked) {

  public Session {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(cap, "cap");
    Objects.requireNonNull(spent, "spent");
  }

  Session withSpent(BigInteger newSpent) {
    return new Session(sessionId, keyHash, owner, cap, expiry, newSpent, revoked);
  }

  Session asRevoked() {
    return new Session(sessionId, keyHash, owner, cap, expiry, spent, true);
  }
}
