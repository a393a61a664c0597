package io.layerproof.p2p.security.noise;

import com.southernstorm.noise.protocol.CipherState;
import com.southernstorm.noise.protocol.CipherStatePair;
import com.southernstorm.noise.protocol.HandshakeState;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.identity.PeerPublicKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The libp2p Noise XX handshake for one side, free of I/O: messages in and out are the bare Noise
 * messages (the caller adds the 2-byte length prefix). The initiator sends {@code e}; the responder
 * answers {@code e, ee, s, es} with its signed payload; the initiator finishes with {@code s, se}
 * and its payload. Each payload binds the sender's libp2p identity key to its static X25519 key by
 * an Ed25519 signature over {@code "noise-libp2p-static-key:" || static key}.
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
  record Ciphers(CipherState sender, CipherState receiver) {}

  private final boolean initiator;
  private final PeerKey localKey;
  private final Optional<PeerId> expectedRemote;
  private final HandshakeState state;
  private final List<String> streamMuxers;
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
    try {
      this.state =
          new HandshakeState(
              NOISE_PROTOCOL, initiator ? HandshakeState.INITIATOR : HandshakeState.RESPONDER);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(NOISE_PROTOCOL + " unavailable", e);
    }
    // A fresh static key per connection: the libp2p identity is carried by the signature.
    state.getLocalKeyPair().generateKeyPair();
    state.start();
  }

  public NoiseHandshake(boolean initiator, PeerKey localKey, Optional<PeerId> expectedRemote) {
    this(initiator, localKey, expectedRemote, List.of());
  }

  public boolean isInitiator() {
    return initiator;
  }

  /** The first message to send: {@code e} for the initiator, nothing for the responder. */
  public Optional<byte[]> start() throws NoiseException {
    return initiator ? Optional.of(write(new byte[0])) : Optional.empty();
  }

  /**
   * Consumes one handshake message and returns the reply to send, if any.
   *
   * @throws NoiseException if the message is malformed, fails to decrypt, or does not authenticate
   */
  public Optional<byte[]> receive(byte[] message) throws NoiseException {
    if (isComplete() || state.getAction() != HandshakeState.READ_MESSAGE) {
      throw new NoiseException("unexpected handshake message");
    }
    if (message.length > MAX_HANDSHAKE_MESSAGE) {
      throw new NoiseException("handshake message of " + message.length + " bytes");
    }
    byte[] payload = new byte[message.length];
    int payloadLength;
    try {
      payloadLength = state.readMessage(message, 0, message.length, payload, 0);
    } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
      throw new NoiseException("bad handshake message: " + e.getMessage(), e);
    }
    // Message 1 carries no payload we use; messages 2 and 3 carry the sender's identity.
    if (state.hasRemotePublicKey() && session == null) {
      authenticate(Arrays.copyOf(payload, payloadLength));
    }
    Optional<byte[]> reply = Optional.empty();
    if (state.getAction() == HandshakeState.WRITE_MESSAGE) {
      reply = Optional.of(write(signedPayload()));
    }
    if (!isComplete() && state.getAction() == HandshakeState.SPLIT) {
      split();
    }
    return reply;
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

  private byte[] write(byte[] payload) throws NoiseException {
    byte[] out = new byte[MAX_MESSAGE];
    try {
      int n = state.writeMessage(out, 0, payload, 0, payload.length);
      byte[] message = Arrays.copyOf(out, n);
      if (state.getAction() == HandshakeState.SPLIT) {
        split();
      }
      return message;
    } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
      throw new NoiseException("cannot write handshake message: " + e.getMessage(), e);
    }
  }

  private byte[] signedPayload() {
    byte[] staticKey = new byte[state.getLocalKeyPair().getPublicKeyLength()];
    state.getLocalKeyPair().getPublicKey(staticKey, 0);
    return new NoisePayload(
            localKey.publicKey().toProtobuf(), localKey.sign(signedData(staticKey)), streamMuxers)
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
    byte[] remoteStatic = new byte[state.getRemotePublicKey().getPublicKeyLength()];
    state.getRemotePublicKey().getPublicKey(remoteStatic, 0);
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
    // noise-java orients the pair by role: the sender is always our sending key.
    CipherStatePair pair = state.split();
    ciphers = new Ciphers(pair.getSender(), pair.getReceiver());
    state.destroy();
  }

  private static byte[] signedData(byte[] staticKey) {
    byte[] data = Arrays.copyOf(SIGNATURE_PREFIX, SIGNATURE_PREFIX.length + staticKey.length);
    System.arraycopy(staticKey, 0, data, SIGNATURE_PREFIX.length, staticKey.length);
    return data;
  }
}
