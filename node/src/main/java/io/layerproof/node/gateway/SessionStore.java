package io.layerproof.node.gateway;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sessions opened with a signed SessionGrant. An API key is 32 random bytes ({@code lp-} +
 * base64url); only its SHA-256 is kept. A session spends up to its cap until its expiry or its
 * revocation.
 *
 * <p>All sessions are held in memory (their number is bounded by {@link
 * GatewayConfig#maxSessionValidity()}, as expired ones are pruned); the persistent store also
 * writes every change through to RocksDB, fsynced before the call returns, so a charge is on disk
 * before the work it pays for starts.
 */
public final class SessionStore implements AutoCloseable {

  static final long PRUNE_EVERY_SECONDS = 60;

  private final Clock clock;
  private final SessionLog log;
  private final SecureRandom random = new SecureRandom();
  private final Map<Bytes32, Session> byId = new HashMap<>();
  private final Map<Bytes32, Bytes32> idByKeyHash = new HashMap<>();
  private long lastPrune;

  private SessionStore(Clock clock, SessionLog log) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.log = Objects.requireNonNull(log, "log");
    for (Session s : log.loadAll()) {
      index(s);
    }
    prune();
  }

  /** An in-memory store (tests, benchmarks): forgotten on restart. */
  public static SessionStore inMemory(Clock clock) {
    return new SessionStore(clock, SessionLog.NONE);
  }

  /** A RocksDB store in {@code dir} that survives a restart. */
  public static SessionStore open(Path dir, Clock clock) {
    return new SessionStore(clock, new RocksSessionLog(Rocks.open(dir, "session store")));
  }

  /** {@link #open(Path, Clock)} on the system clock. */
  public static SessionStore open(Path dir) {
    return open(dir, Clock.systemUTC());
  }

  /**
   * Opens a session without its grant's signature (store-level use: such a session cannot open jobs
   * on chain); see the six-argument form.
   */
  public synchronized String openSession(
      Bytes32 sessionId, EthAddress owner, BigInteger cap, long expiry) {
    return openSession(sessionId, owner, cap, expiry, BigInteger.ZERO, new byte[0]);
  }

  /**
   * Opens a session for the grant {@code owner} signed and returns its API key; null when the
   * session id is already taken.
   */
  public synchronized String openSession(
      Bytes32 sessionId,
      EthAddress owner,
      BigInteger cap,
      long expiry,
      BigInteger grantNonce,
      byte[] grantSignature) {
    long now = clock.instant().getEpochSecond();
    if (now - lastPrune >= PRUNE_EVERY_SECONDS) {
      prune();
    }
    if (byId.containsKey(sessionId)) {
      return null;
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String key = "lp-" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    Session s =
        new Session(
            sessionId,
            hash(key),
            owner,
            cap,
            expiry,
            BigInteger.ZERO,
            false,
            grantNonce,
            org.web3j.utils.Numeric.toHexString(grantSignature));
    log.put(s);
    index(s);
    return key;
  }

  /**
   * The live session of {@code apiKey}.
   *
   * @throws GatewayException 401 for an unknown, expired or revoked key
   */
  public synchronized Session lookup(String apiKey) {
    Bytes32 id = idByKeyHash.get(hash(apiKey));
    Session s = id == null ? null : byId.get(id);
    if (s == null) {
      throw GatewayException.unauthorized("invalid_api_key", "Unknown API key.");
    }
    if (s.revoked()) {
      throw GatewayException.unauthorized("session_revoked", "This session has been revoked.");
    }
    if (clock.instant().getEpochSecond() >= s.expiry()) {
      throw GatewayException.unauthorized("session_expired", "This session has expired.");
    }
    return s;
  }

  /**
   * Charges {@code price} to the session of {@code apiKey} and returns it after the charge.
   *
   * @throws GatewayException 401 for an unknown, expired or revoked key, 402 when the remaining cap
   *     does not cover the price
   */
  public synchronized Session charge(String apiKey, BigInteger price) {
    return charge(lookup(apiKey), price);
  }

  /**
   * Charges {@code price} to the current state of {@code s}'s session; durable on return.
   *
   * @throws GatewayException 401 when it was revoked meanwhile, 402 when the remaining cap does not
   *     cover the price
   */
  public synchronized Session charge(Session s, BigInteger price) {
    Session current = byId.get(s.sessionId());
    if (current == null) {
      throw GatewayException.unauthorized("invalid_api_key", "Unknown API key.");
    }
    if (current.revoked()) {
      throw GatewayException.unauthorized("session_revoked", "This session has been revoked.");
    }
    BigInteger after = current.spent().add(price);
    if (after.compareTo(current.cap()) > 0) {
      throw GatewayException.paymentRequired(
          "session_cap_exhausted",
          "The session's spending cap is exhausted: spent "
              + current.spent()
              + " of "
              + current.cap()
              + ", this request costs "
              + price
              + ".");
    }
    Session charged = current.withSpent(after);
    log.put(charged);
    byId.put(charged.sessionId(), charged);
    return charged;
  }

  /**
   * The session {@code signer} may revoke.
   *
   * @throws GatewayException 404 when unknown, 403 when {@code signer} did not grant it
   */
  public synchronized Session revocable(Bytes32 sessionId, EthAddress signer) {
    Session s = byId.get(sessionId);
    if (s == null) {
      throw GatewayException.notFound("session_not_found", "Unknown session " + sessionId + ".");
    }
    if (!s.owner().equals(signer)) {
      throw GatewayException.forbidden(
          "not_session_owner", "Only the wallet that granted a session may revoke it.");
    }
    return s;
  }

  /** Revokes {@code s}'s session for good; durable on return. */
  public synchronized Session revoke(Session s) {
    Session current = byId.get(s.sessionId());
    if (current == null) {
      throw GatewayException.notFound(
          "session_not_found", "Unknown session " + s.sessionId() + ".");
    }
    Session revoked = current.asRevoked();
    log.put(revoked);
    byId.put(revoked.sessionId(), revoked);
    return revoked;
  }

  /** The current state of a session, if held. */
  public synchronized Optional<Session> find(Bytes32 sessionId) {
    return Optional.ofNullable(byId.get(sessionId));
  }

  /** Sessions held now. */
  public synchronized int size() {
    return byId.size();
  }

  /**
   * Forgets the sessions whose expiry has passed (their keys are refused as expired anyway);
   * returns how many.
   */
  public synchronized int prune() {
    long now = clock.instant().getEpochSecond();
    lastPrune = now;
    List<Bytes32> gone = new ArrayList<>();
    for (Session s : byId.values()) {
      if (s.expiry() <= now) {
        gone.add(s.sessionId());
      }
    }
    if (!gone.isEmpty()) {
      log.delete(gone);
      for (Bytes32 id : gone) {
        idByKeyHash.remove(byId.remove(id).keyHash());
      }
    }
    return gone.size();
  }

  @Override
  public synchronized void close() {
    log.close();
  }

  private void index(Session s) {
    byId.put(s.sessionId(), s);
    idByKeyHash.put(s.keyHash(), s.sessionId());
  }

  /** SHA-256 of the key: what is stored and looked up instead of the key. */
  static Bytes32 hash(String apiKey) {
    try {
      return Bytes32.of(
          MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
