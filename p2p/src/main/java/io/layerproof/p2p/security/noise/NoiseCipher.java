package io.layerproof.p2p.security.noise;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Noise CipherState for ChaChaPoly: one 32-byte key and a counting nonce, on the JDK's
 * ChaCha20-Poly1305. The JDK cipher is used rather than a pure-Java one because from JDK 21 on it
 * runs on intrinsics, about eight times faster per core on these machines, and the transport phase
 * is bound by this cipher (see docs/benchmarks.md).
 *
 * <p>The nonce is 4 zero bytes and the 64-bit counter little-endian, per the Noise spec. Not
 * thread-safe: one sender or one receiver per connection.
 */
final class NoiseCipher {

  static final int KEY = 32;
  static final int TAG = 16;

  private final SecretKeySpec key;
  private final Cipher cipher;
  private final byte[] nonce = new byte[12];
  private long n;

  NoiseCipher(byte[] key) {
    if (key.length != KEY) {
      throw new IllegalArgumentException("a ChaChaPoly key is 32 bytes");
    }
    this.key = new SecretKeySpec(key, "ChaCha20");
    try {
      this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 unavailable in this JDK", e);
    }
  }

  /**
   * Encrypts {@code length} bytes of {@code buf} at {@code offset} in place and appends the tag;
   * {@code buf} must have {@link #TAG} bytes of room after them.
   *
   * @return the ciphertext length
   */
  int encrypt(byte[] ad, byte[] buf, int offset, int length) throws GeneralSecurityException {
    init(Cipher.ENCRYPT_MODE, ad);
    return cipher.doFinal(buf, offset, length, buf, offset);
  }

  /**
   * Decrypts and authenticates {@code length} bytes of ciphertext in place.
   *
   * @return the plaintext length
   * @throws javax.crypto.AEADBadTagException if the tag does not verify
   */
  int decrypt(byte[] ad, byte[] buf, int offset, int length) throws GeneralSecurityException {
    if (length < TAG) {
      throw new javax.crypto.AEADBadTagException("ciphertext shorter than its tag");
    }
    init(Cipher.DECRYPT_MODE, ad);
    return cipher.doFinal(buf, offset, length, buf, offset);
  }

  private void init(int mode, byte[] ad) throws GeneralSecurityException {
    // 2^64 - 1 is reserved by the spec; no connection gets near it, but never wrap.
    if (n == -1L) {
      throw new GeneralSecurityException("Noise nonce exhausted");
    }
    long v = n++;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (v >>> (8 * i));
    }
    cipher.init(mode, key, new IvParameterSpec(nonce));
    if (ad != null && ad.length > 0) {
      cipher.updateAAD(ad);
    }
  }

  /** For tests: the next nonce this cipher will use. */
  long nonce() {
    return n;
  }
}
