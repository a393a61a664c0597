package io.layerproof.wallet.auth;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Checks and recovers 65-byte secp256k1 signatures {@code r || s || v} strictly, as OpenZeppelin's
 * {@code ECDSA.recover} does: v must be 27 or 28 (not 0/1, not EIP-155), s must be in the lower
 * half of the curve order (no malleable twin), r and s must be non-zero and below the order.
 */
public final class Signatures {

  public static final int LENGTH = 65;

  /** The secp256k1 group order n. */
  public static final BigInteger CURVE_ORDER = Sign.CURVE_PARAMS.getN();

  /** n / 2: a valid s is at most this. */
  public static final BigInteger HALF_CURVE_ORDER = CURVE_ORDER.shiftRight(1);

  private Signatures() {}

  /** Throws when {@code signature} is not a strict 65-byte signature. */
  public static void checkFormat(byte[] signature) throws RejectedException {
    if (signature == null || signature.length != LENGTH) {
      throw new RejectedException(
          RejectReason.MALFORMED_SIGNATURE,
          "signature must be "
              + LENGTH
              + " bytes, got "
              + (signature == null ? "none" : signature.length));
    }
    int v = signature[64] & 0xFF;
    if (v != 27 && v != 28) {
      throw new RejectedException(RejectReason.BAD_V, "v must be 27 or 28, got " + v);
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (r.signum() == 0 || r.compareTo(CURVE_ORDER) >= 0) {
      throw new RejectedException(
          RejectReason.MALFORMED_SIGNATURE, "r must be in 1..n-1 of the curve order");
    }
    if (s.signum() == 0) {
      throw new RejectedException(RejectReason.MALFORMED_SIGNATURE, "s is zero");
    }
    if (s.compareTo(HALF_CURVE_ORDER) > 0) {
      throw new RejectedException(
          RejectReason.HIGH_S, "s must be at most n/2 (the low-s form wallets produce)");
    }
  }

  /**
   * The address whose key made {@code signature} over {@code digest}, after {@link #checkFormat}.
   */
  public static EthAddress recover(Bytes32 digest, byte[] signature) throws RejectedException {
    checkFormat(signature);
    Sign.SignatureData data =
        new Sign.SignatureData(
            signature[64],
            Arrays.copyOfRange(signature, 0, 32),
            Arrays.copyOfRange(signature, 32, 64));
    BigInteger publicKey;
    try {
      publicKey = Sign.signedMessageHashToKey(digest.toByteArray(), data);
    } catch (SignatureException | RuntimeException e) {
      throw new RejectedException(
          RejectReason.MALFORMED_SIGNATURE, "no public key recovers from the signature");
    }
    return EthAddress.fromHex(Numeric.prependHexPrefix(Keys.getAddress(publicKey)));
  }
}
