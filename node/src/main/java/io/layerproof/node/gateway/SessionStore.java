package io.layerproof.node.gateway;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Sessions opened with a signed SessionGrant, in memory. An API key is 32 random bytes ({@code lp-}
 * + base64url); only its keccak256 is stored. A session spends up to its cap until its expiry or
 * its revocation.
 */
final class SessionStore {

  /** One session. Mutable state is guarded by the store's lock. */
  static final class Session {
    final Bytes32 sessionId;
    final EthAddress owner;
    final BigInteger cap;
    final long expiry;
    BigInteger spent = BigInteger.ZERO;
    boolean revoked;

    Session(Bytes32 sessionId, EthAddress owner, BigInteger cap, long expiry) {
      this.sessionId = sessionId;
      this.owner = owner;
      this.cap = cap;
      this.expiry = expiry;
    }
  }

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<Bytes32, Session> byKeyHash = new HashMap<>();
  private final Map<Bytes32, Session> byId = new HashMap<>();

  SessionStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
  }

  /** Opens a session and returns its API key; null when the session id is already taken. */
  synchronized String open(Bytes32 sessionId, EthAddress owner, BigInteger cap, long expiry) {
    if (byId.containsKey(sessionId)) {
      return null;
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String key = "lp-" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    Session s = new Session(sessionId, owner, cap, expiry);
    byKeyHash.put(hash(key), s);
    byId.put(sessionId, s);
    return key;
  }

  /**
   * Charges {@code price} to the session of {@code apiKey} and returns it.
   *
   * @throws GatewayException 401 for an unknown, expired or revoked key, 402 when the remaining cap
   *     does not cover the price
   */
  synchronized Session charge(String apiKey, BigInteger price) {
    return charge(lookup(apiKey), price);
  }

  /**
   * The live session of {@code apiKey}.
   *
   * @throws GatewayException 401 for an unknown, expired or revoked key
   */
  synchronized Session lookup(String apiKey) {
    Session s = byKeyHash.get(hash(apiKey));
    if (s == null) {
      throw GatewayException.unauthorized("invalid_api_key", "Unknown API key.");
    }
    if (s.revoked) {
      throw GatewayException.unauthorized("session_revoked", "This session has been revoked.");
    }
    if (clock.instant().getEpochSecond() >= s.expiry) {
      throw GatewayException.unauthorized("session_expired", "This session has expired.");
    }
    return s;
  }

  /**
   * Charges {@code price} to {@code s}.
   *
   * @throws GatewayException 402 when the remaining cap does not cover the price
   */
  synchronized Session charge(Session s, BigInteger price) {
    if (s.revoked) {
      throw GatewayException.unauthorized("session_revoked", "This session has been revoked.");
    }
    BigInteger after = s.spent.add(price);
    if (after.compareTo(s.cap) > 0) {
      throw GatewayException.paymentRequired(
          "session_cap_exhausted",
          "The session's spending cap is exhausted: spent "
              + s.spent
              + " of "
              + s.cap
              + ", this request costs "
              + price
              + ".");
    }
    s.spent = after;
    return s;
  }

  /**
   * The session {@code signer} may revoke.
   *
   * @throws GatewayException 404 when unknown, 403 when {@code signer} did not grant it
   */
  synchronized Session revocable(Bytes32 sessionId, EthAddress signer) {
    Session s = byId.get(sessionId);
    if (s == null) {
      throw GatewayException.notFound("session_not_found", "Unknown session " + sessionId + ".");
    }
    if (!s.owner.equals(signer)) {
      throw GatewayException.forbidden(
          "not_session_owner", "Only the wallet that granted a session may revoke it.");
    }
    return s;
  }

  synchronized void revoke(Session s) {
    s.revoked = true;
  }

  private static Bytes32 hash(String apiKey) {
    return Bytes32.keccak(apiKey.getBytes(StandardCharsets.UTF_8));
  }
}
