package io.layerproof.chain.contracts;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Arrays;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/** EIP-712 building blocks shared by the market's and the token's typed data. */
final class Eip712 {

  private static final byte[] DOMAIN_TYPEHASH =
      keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

  private Eip712() {}

  static byte[] domainSeparator(String name, String version, long chainId, String contract) {
    return Hash.sha3(
        words(
            DOMAIN_TYPEHASH,
            keccak(name),
            keccak(version),
            uint(BigInteger.valueOf(chainId)),
            address(contract)));
  }

  /** keccak256("\x19\x01" || domainSeparator || structHash). */
  static byte[] digest(byte[] domainSeparator, byte[] structHash) {
    ByteBuffer b = ByteBuffer.allocate(66);
    b.put((byte) 0x19).put((byte) 0x01).put(domainSeparator).put(structHash);
    return Hash.sha3(b.array());
  }

  /** The struct hash: keccak256 of the ABI words (every field here is a static 32-byte word). */
  static byte[] structHash(byte[]... words) {
    return Hash.sha3(words(words));
  }

  static byte[] words(byte[]... words) {
    ByteBuffer b = ByteBuffer.allocate(32 * words.length);
    for (byte[] w : words) {
      if (w.length != 32) {
        throw new IllegalArgumentException("ABI word must be 32 bytes");
      }
      b.put(w);
    }
    return b.array();
  }

  static byte[] keccak(String s) {
    return Hash.sha3(s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] bytes32(byte[] value) {
    if (value == null || value.length != 32) {
      throw new IllegalArgumentException("bytes32 value must be 32 bytes");
    }
    return value;
  }

  static byte[] uint(BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new IllegalArgumentException("uint256 out of range: " + value);
    }
    return Numeric.toBytesPadded(value, 32);
  }

  static byte[] address(String address) {
    return Numeric.toBytesPadded(Numeric.toBigInt(address), 32);
  }

  static Sign.SignatureData signDigest(byte[] digest, Credentials signer) {
    return Sign.signMessage(digest, signer.getEcKeyPair(), false);
  }

  /** 65 bytes r || s || v with v = 27 or 28, the layout OpenZeppelin's ECDSA.recover takes. */
  static byte[] packed(Sign.SignatureData sig) {
    ByteBuffer out = ByteBuffer.allocate(65);
    out.put(sig.getR()).put(sig.getS()).put(sig.getV()[0]);
    return out.array();
  }

  static String recover(byte[] digest, byte[] signature) throws SignatureException {
    if (signature.length != 65) {
      throw new SignatureException("signature must be 65 bytes, got " + signature.length);
    }
    byte v = signature[64];
    if (v < 27) {
      v += 27;
    }
    Sign.SignatureData data =
        new Sign.SignatureData(
            v, Arrays.copyOfRange(signature, 0, 32), Arrays.copyOfRange(signature, 32, 64));
    BigInteger key = Sign.signedMessageHashToKey(digest, data);
    return Numeric.prependHexPrefix(Keys.getAddress(key));
  }
}
