package io.layerproof.p2p.security.noise;

import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.identity.PeerPublicKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The libp2p Noise XX handshake for one side, free of I/O: messages in and out are the bare Noise
 * messages (the caller adds the 2-byte length prefix). The initiator sends {@code e}; the responder
 * answers {@code e, ee, s, es} with its signed payload; the initiator finishes with {@code s, se}
 * and its payload. Each payload binds the sender's libp2p identity key to its static X25519 key by
 * an Ed25519 signature over {@code "noise-libp2p-static-key:" || static key}.
 *
 * <p>The XX pattern is written here on {@link NoiseSymmetricState} rather than taken from
 * noise-java because noise-java keeps the split keys inside its own pure-Java cipher, and the
 * transport phase needs them for the JDK's faster one ({@link NoiseCipher}). The tests check this
 * handshake against noise-java's in both roles.
 *
 * <p>Not thread-safe; one instance per connection.
 */
public final class NoiseHandshake {

  /** The multistream-select protocol id. */
  public static final String PROTOCOL_ID = "/noise";

  public static final String NOISE_PROTOCOL = "Noise_XX_25519_ChaChaPoly_SHA256";

  static final byte[] SIGNATURE_PREFIX =
      "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);

  /** Every Noise message, handshake or transport, fits a 2-byte length. */
  public static final int MAX_MESSAGE = 65535;

  /**
   * Handshake messages are small (an ephemeral key, a static key, a payload of a few hundred
   * bytes); a larger one is refused before it is buffered.
   */
  public static final int MAX_HANDSHAKE_MESSAGE = 8192;

  /** The keys for the transport phase. */
  record Ciphers(NoiseCipher sender, NoiseCipher receiver) {}

  private static final int DH = X25519.POINT_SIZE;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final boolean initiator;
  private final PeerKey localKey;
  private final Optional<PeerId> expectedRemote;
  private final List<String> streamMuxers;
  private final NoiseSymmetricState symmetric = new NoiseSymmetricState(NOISE_PROTOCOL);
  // A fresh static key per connection: the libp2p identity is carried by the signature.
  private final byte[] staticPrivate = new byte[X25519.SCALAR_SIZE];
  private final byte[] staticPublic = new byte[DH];
  private final byte[] ephemeralPrivate = new byte[X25519.SCALAR_SIZE];
  private final byte[] ephemeralPublic = new byte[DH];
  private byte[] remoteEphemeral;
  private byte[] remoteStatic;

  /** Handshake messages sent or received so far (XX has three). */
  private int messages;

  private SecureSession session;
  private Ciphers ciphers;

  /**
   * @param expectedRemote the peer a dialer means to reach: any other fails the handshake
   */
  public NoiseHandshake(
      boolean initiator,
      PeerKey localKey,
      Optional<PeerId> expectedRemote,
      List<String> streamMuxers) {
    this.initiator = initiator;
    this.localKey = localKey;
    this.expectedRemote = expectedRemote;
    this.streamMuxers = List.copyOf(streamMuxers);
    X25519.generatePrivateKey(RANDOM, staticPrivate);
    X25519.generatePublicKey(staticPrivate, 0, staticPublic, 0);
    X25519.generatePrivateKey(RANDOM, ephemeralPrivate);
    X25519.generatePublicKey(ephemeralPrivate, 0, ephemeralPublic, 0);
    symmetric.mixHash(new byte[0], 0, 0); // the empty prologue
  }

  public NoiseHandshake(boolean initiator, PeerKey localKey, Optional<PeerId> expectedRemote) {
    this(initiator, localKey, expectedRemote, List.of());
  }

  public boolean isInitiator() {
    return initiator;
  }

  /** The first message to send: {@code e} for the initiator, nothing for the responder. */
  public Optional<byte[]> start() throws NoiseException {
    if (messages != 0) {
      throw new IllegalStateException("handshake already started");
    }
    return initiator ? Optional.of(writeMessage1()) : Optional.empty();
  }

  /**
   * Consumes one handshake message and returns the reply to send, if any.
   *
   * @throws NoiseException if the message is malformed, fails to decrypt, or does not authenticate
   */
  public Optional<byte[]> receive(byte[] message) throws NoiseException {
    boolean ourTurnToRead = initiator ? messages == 1 : messages == 0 || messages == 2;
    if (isComplete() || !ourTurnToRead) {
      throw new NoiseException("unexpected handshake message");
    }
    if (message.length > MAX_HANDSHAKE_MESSAGE) {
      throw new NoiseException("handshake message of " + message.length + " bytes");
    }
    try {
      switch (messages) {
        case 0 -> {
          readMessage1(message);
          return Optional.of(writeMessage2());
        }
        case 1 -> {
          readMessage2(message);
          byte[] reply = writeMessage3();
          split();
          return Optional.of(reply);
        }
        default -> {
          readMessage3(message);
          split();
          return Optional.empty();
        }
      }
    } catch (GeneralSecurityException e) {
      throw new NoiseException("bad handshake message: " + e.getMessage(), e);
    }
  }

  public boolean isComplete() {
    return ciphers != null;
  }

  /** The authenticated remote, once complete. */
  public SecureSession session() {
    requireComplete();
    return session;
  }

  Ciphers ciphers() {
    requireComplete();
    return ciphers;
  }

  private void requireComplete() {
    if (!isComplete()) {
      throw new IllegalStateException("handshake not complete");
    }
  }

  // -> e
  private byte[] writeMessage1() {
    symmetric.mixHash(ephemeralPublic, 0, DH);
    symmetric.mixHash(new byte[0], 0, 0); // the empty payload, sent in the clear
    messages = 1;
    return ephemeralPublic.clone();
  }

  private void readMessage1(byte[] m) throws NoiseException {
    if (m.length < DH) {
      throw new NoiseException("handshake message 1 of " + m.length + " bytes");
    }
    remoteEphemeral = Arrays.copyOf(m, DH);
    symmetric.mixHash(remoteEphemeral, 0, DH);
    symmetric.mixHash(m, DH, m.length - DH); // a payload we ignore, but it is bound into h
    messages = 1;
  }

  // <- e, ee, s, es
  private byte[] writeMessage2() throws GeneralSecurityException, NoiseException {
    symmetric.mixHash(ephemeralPublic, 0, DH);
    symmetric.mixKey(dh(ephemeralPrivate, remoteEphemeral));
    byte[] message = writeStaticAndPayload(ephemeralPublic);
    messages = 2;
    return message;
  }

  private void readMessage2(byte[] m) throws GeneralSecurityException, NoiseException {
    if (m.length < DH) {
      throw new NoiseException("handshake message 2 of " + m.length + " bytes");
    }
    remoteEphemeral = Arrays.copyOf(m, DH);
    symmetric.mixHash(remoteEphemeral, 0, DH);
    symmetric.mixKey(dh(ephemeralPrivate, remoteEphemeral));
    readStaticAndPayload(m, DH, 2);
    messages = 2;
  }

  // -> s, se
  private byte[] writeMessage3() throws GeneralSecurityException, NoiseException {
    byte[] message = writeStaticAndPayload(new byte[0]);
    messages = 3;
    return message;
  }

  private void readMessage3(byte[] m) throws GeneralSecurityException, NoiseException {
    readStaticAndPayload(m, 0, 3);
    messages = 3;
  }

  /**
   * The common tail of messages 2 and 3: {@code prefix}, our sealed static key, the DH of our
   * static key with the remote ephemeral ({@code es} for the responder, {@code se} for the
   * initiator), and our sealed signed payload.
   */
  private byte[] writeStaticAndPayload(byte[] prefix)
      throws GeneralSecurityException, NoiseException {
    byte[] payload = signedPayload();
    byte[] out = Arrays.copyOf(prefix, prefix.length + DH + payload.length + 2 * NoiseCipher.TAG);
    int at = prefix.length;
    System.arraycopy(staticPublic, 0, out, at, DH);
    at += symmetric.encryptAndHash(out, at, DH);
    symmetric.mixKey(dh(staticPrivate, remoteEphemeral));
    System.arraycopy(payload, 0, out, at, payload.length);
    at += symmetric.encryptAndHash(out, at, payload.length);
    return Arrays.copyOf(out, at);
  }

  /** Reads what {@link #writeStaticAndPayload} wrote, from {@code at}, and authenticates it. */
  private void readStaticAndPayload(byte[] m, int at, int number)
      throws GeneralSecurityException, NoiseException {
    int sealedStatic = DH + NoiseCipher.TAG;
    if (m.length < at + sealedStatic + NoiseCipher.TAG) {
      throw new NoiseException("handshake message " + number + " of " + m.length + " bytes");
    }
    byte[] buf = m.clone();
    symmetric.decryptAndHash(buf, at, sealedStatic);
    remoteStatic = Arrays.copyOfRange(buf, at, at + DH);
    symmetric.mixKey(dh(ephemeralPrivate, remoteStatic));
    int payloadAt = at + sealedStatic;
    int n = symmetric.decryptAndHash(buf, payloadAt, buf.length - payloadAt);
    authenticate(Arrays.copyOfRange(buf, payloadAt, payloadAt + n));
  }

  private static byte[] dh(byte[] privateKey, byte[] publicKey) throws NoiseException {
    byte[] shared = new byte[DH];
    // A low-order remote key gives an all-zero secret: refuse it rather than derive keys from it.
    if (!X25519.calculateAgreement(privateKey, 0, publicKey, 0, shared, 0)) {
      throw new NoiseException("the remote's X25519 key is of low order");
    }
    return shared;
  }

  private byte[] signedPayload() {
    return new NoisePayload(
            localKey.publicKey().toProtobuf(),
            localKey.sign(signedData(staticPublic)),
            streamMuxers)
        .encode();
  }

  private void authenticate(byte[] payloadBytes) throws NoiseException {
    NoisePayload payload;
    PeerPublicKey key;
    try {
      payload = NoisePayload.decode(payloadBytes);
      key = PeerPublicKey.fromProtobuf(payload.identityKey());
    } catch (IllegalArgumentException e) {
      throw new NoiseException("bad handshake payload: " + e.getMessage(), e);
    }
    if (!key.verify(signedData(remoteStatic), payload.identitySig())) {
      throw new NoiseException("the identity signature over the static key does not verify");
    }
    PeerId remote = key.peerId();
    if (expectedRemote.isPresent() && !expectedRemote.get().equals(remote)) {
      throw new NoiseException(
          "peer id mismatch: dialed " + expectedRemote.get() + " but the remote is " + remote);
    }
    session = new SecureSession(remote, key, initiator);
  }

  private void split() throws NoiseException {
    if (session == null) {
      throw new NoiseException("handshake finished without authenticating the remote");
    }
    NoiseCipher[] pair = symmetric.split();
    ciphers = initiator ? new Ciphers(pair[0], pair[1]) : new Ciphers(pair[1], pair[0]);
    Arrays.fill(staticPrivate, (byte) 0);
    Arrays.fill(ephemeralPrivate, (byte) 0);
  }

  private static byte[] signedData(byte[] staticKey) {
    byte[] data = Arrays.copyOf(SIGNATURE_PREFIX, SIGNATURE_PREFIX.length + staticKey.length);
    System.arraycopy(staticKey, 0, data, SIGNATURE_PREFIX.length, staticKey.length);
    return data;
  }
}
