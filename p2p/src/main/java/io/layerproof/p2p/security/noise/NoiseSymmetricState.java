package io.layerproof.p2p.security.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Noise SymmetricState (spec section 5.2) for SHA-256 and ChaChaPoly: the handshake hash {@code
 * h}, the chaining key {@code ck} and, once a key is mixed in, a {@link NoiseCipher}.
 */
final class NoiseSymmetricState {

  private static final int HASH = 32;

  private byte[] h;
  private byte[] ck;
  private NoiseCipher cipher;

  NoiseSymmetricState(String protocolName) {
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    h = name.length <= HASH ? Arrays.copyOf(name, HASH) : sha256(name);
    ck = h.clone();
  }

  byte[] handshakeHash() {
    return h.clone();
  }

  void mixHash(byte[] data, int offset, int length) {
    MessageDigest d = digest();
    d.update(h);
    d.update(data, offset, length);
    h = d.digest();
  }

  void mixKey(byte[] inputKeyMaterial) {
    byte[][] out = hkdf(ck, inputKeyMaterial);
    ck = out[0];
    cipher = new NoiseCipher(out[1]);
    Arrays.fill(out[1], (byte) 0);
  }

  /** Ciphertext length for {@code length} bytes of plaintext at this point of the handshake. */
  int sealedLength(int length) {
    return cipher == null ? length : length + NoiseCipher.TAG;
  }

  /**
   * EncryptAndHash in place: {@code buf} holds the plaintext at {@code offset} with room for the
   * tag after it.
   *
   * @return the ciphertext length
   */
  int encryptAndHash(byte[] buf, int offset, int length) throws GeneralSecurityException {
    int n = cipher == null ? length : cipher.encrypt(h, buf, offset, length);
    mixHash(buf, offset, n);
    return n;
  }

  /**
   * DecryptAndHash in place.
   *
   * @return the plaintext length
   */
  int decryptAndHash(byte[] buf, int offset, int length) throws GeneralSecurityException {
    if (cipher == null) {
      mixHash(buf, offset, length);
      return length;
    }
    byte[] ciphertext = Arrays.copyOfRange(buf, offset, offset + length);
    int n = cipher.decrypt(h, buf, offset, length);
    mixHash(ciphertext, 0, ciphertext.length);
    return n;
  }

  /** Split: the initiator's sending cipher first, then the responder's. */
  NoiseCipher[] split() {
    byte[][] out = hkdf(ck, new byte[0]);
    NoiseCipher[] pair = {new NoiseCipher(out[0]), new NoiseCipher(out[1])};
    Arrays.fill(out[0], (byte) 0);
    Arrays.fill(out[1], (byte) 0);
    Arrays.fill(ck, (byte) 0);
    cipher = null;
    return pair;
  }

  /** HKDF with two outputs, as the Noise spec defines it over HMAC-SHA256. */
  private static byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial) {
    byte[] temp = hmac(chainingKey, inputKeyMaterial);
    byte[] out1 = hmac(temp, new byte[] {1});
    byte[] in2 = Arrays.copyOf(out1, HASH + 1);
    in2[HASH] = 2;
    byte[] out2 = hmac(temp, in2);
    Arrays.fill(temp, (byte) 0);
    return new byte[][] {out1, out2};
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    return digest().digest(data);
  }
}
