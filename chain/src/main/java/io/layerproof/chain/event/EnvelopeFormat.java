package io.layerproof.chain.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.web3j.crypto.Hash;

/**
 * The signed envelope's byte layout and hashes.
 *
 * <pre>
 * body         = canonical JSON of {@link EventBody}
 * wire         = {"body":&lt;body&gt;,"sig":"0x&lt;128 hex&gt;"}       (= canonical JSON of SignedEvent)
 * bodyHash     = keccak256(body)
 * signature    = Ed25519(authorKey, "layerproof-event:" || bodyHash)
 * envelopeHash = keccak256(bodyHash || signature)                   (what the ledger chains)
 * </pre>
 *
 * Signing the 32-byte hash keeps Ed25519's own hashing short whatever the event's size, and the
 * prefix keeps an event signature from being valid for any other use of the node key. Because the
 * wire form is canonical, the body is a fixed slice of it: the ledger re-derives every hash from
 * the stored bytes without parsing JSON.
 */
public final class EnvelopeFormat {

  /** The body's {@code "v"}: the only version this code reads or writes. */
  public static final int VERSION = 1;

  /**
   * Largest accepted wire envelope: 16 KiB. The largest regular event (a ShardsAssigned with a few
   * dozen shards, a JobSettled with as many payouts) is under 4 KiB; the limit bounds what one
   * untrusted peer can make every node store.
   */
  public static final int MAX_ENVELOPE_BYTES = 16 * 1024;

  private static final byte[] OPEN = ascii("{\"body\":");
  private static final byte[] SIG_OPEN = ascii(",\"sig\":\"0x");
  private static final byte[] CLOSE = ascii("\"}");
  private static final int SIG_HEX = 128;
  private static final int SUFFIX = SIG_OPEN.length + SIG_HEX + CLOSE.length;
  private static final byte[] SIGNING_PREFIX = ascii("layerproof-event:");

  private EnvelopeFormat() {}

  /** The wire bytes of {@code body} (canonical) signed with {@code sig}. */
  public static byte[] wire(byte[] body, Ed25519Signature sig) {
    byte[] out = new byte[OPEN.length + body.length + SUFFIX];
    int p = 0;
    System.arraycopy(OPEN, 0, out, p, OPEN.length);
    p += OPEN.length;
    System.arraycopy(body, 0, out, p, body.length);
    p += body.length;
    System.arraycopy(SIG_OPEN, 0, out, p, SIG_OPEN.length);
    p += SIG_OPEN.length;
    byte[] hex = ByteValue.HEX.formatHex(sig.raw()).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(hex, 0, out, p, hex.length);
    p += hex.length;
    System.arraycopy(CLOSE, 0, out, p, CLOSE.length);
    return out;
  }

  /** Whether {@code wire} is exactly {@code wire(body, sig)}, without building it. */
  static boolean isWireOf(byte[] wire, byte[] body, Ed25519Signature sig) {
    if (wire.length != OPEN.length + body.length + SUFFIX) {
      return false;
    }
    int b = OPEN.length;
    int s = b + body.length;
    return Arrays.equals(wire, 0, b, OPEN, 0, OPEN.length)
        && Arrays.equals(wire, b, s, body, 0, body.length)
        && Arrays.equals(wire, s, s + SIG_OPEN.length, SIG_OPEN, 0, SIG_OPEN.length)
        && Arrays.equals(
            wire,
            s + SIG_OPEN.length,
            s + SIG_OPEN.length + SIG_HEX,
            ByteValue.HEX.formatHex(sig.raw()).getBytes(StandardCharsets.US_ASCII),
            0,
            SIG_HEX)
        && Arrays.equals(wire, wire.length - CLOSE.length, wire.length, CLOSE, 0, CLOSE.length);
  }

  public static Bytes32 bodyHash(byte[] body) {
    return Bytes32.keccak(body);
  }

  /** The bytes the author's key signs. */
  public static byte[] signingMessage(Bytes32 bodyHash) {
    byte[] m = Arrays.copyOf(SIGNING_PREFIX, SIGNING_PREFIX.length + 32);
    System.arraycopy(bodyHash.raw(), 0, m, SIGNING_PREFIX.length, 32);
    return m;
  }

  public static Bytes32 envelopeHash(Bytes32 bodyHash, Ed25519Signature sig) {
    byte[] joined = new byte[32 + 64];
    System.arraycopy(bodyHash.raw(), 0, joined, 0, 32);
    System.arraycopy(sig.raw(), 0, joined, 32, 64);
    return Bytes32.keccak(joined);
  }

  /**
   * Recomputes the envelope hash of stored canonical wire bytes by slicing, without JSON.
   *
   * @throws IllegalArgumentException if {@code wire} does not have the envelope's layout
   */
  public static Bytes32 envelopeHashOfWire(byte[] wire) {
    if (wire.length < OPEN.length + 2 + SUFFIX
        || !Arrays.equals(wire, 0, OPEN.length, OPEN, 0, OPEN.length)
        || !Arrays.equals(
            wire,
            wire.length - SUFFIX,
            wire.length - SUFFIX + SIG_OPEN.length,
            SIG_OPEN,
            0,
            SIG_OPEN.length)
        || !Arrays.equals(wire, wire.length - CLOSE.length, wire.length, CLOSE, 0, CLOSE.length)) {
      throw new IllegalArgumentException("not a canonical envelope");
    }
    int sigStart = wire.length - SUFFIX + SIG_OPEN.length;
    byte[] sig =
        ByteValue.HEX.parseHex(
            new String(wire, sigStart, SIG_HEX, StandardCharsets.US_ASCII), 0, SIG_HEX);
    Bytes32 bodyHash = Bytes32.of(Hash.sha3(wire, OPEN.length, wire.length - SUFFIX - OPEN.length));
    return envelopeHash(bodyHash, Ed25519Signature.of(sig));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
