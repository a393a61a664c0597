package io.layerproof.chain.devnet;

import java.math.BigInteger;
import java.util.List;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;

/** Small RLP helpers on top of Web3j's encoder, with canonical integers. */
final class Rlp {

  private Rlp() {}

  static RlpString uint(long v) {
    return uint(BigInteger.valueOf(v));
  }

  /** Minimal big-endian bytes, zero as the empty string (Web3j already canonicalises). */
  static RlpString uint(BigInteger v) {
    return RlpString.create(v);
  }

  static RlpString bytes(byte[] b) {
    return RlpString.create(b);
  }

  static RlpString hex(String hex) {
    return RlpString.create(Hex.parseData(hex));
  }

  static byte[] encode(RlpType... items) {
    return RlpEncoder.encode(new RlpList(items));
  }

  static byte[] encode(List<RlpType> items) {
    return RlpEncoder.encode(new RlpList(items));
  }

  /** RLP list header followed by already-encoded items (used for exact block sizes). */
  static byte[] listOfEncoded(List<byte[]> encodedItems) {
    int len = 0;
    for (byte[] e : encodedItems) {
      len += e.length;
    }
    byte[] prefix = listPrefix(len);
    byte[] out = new byte[prefix.length + len];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    int pos = prefix.length;
    for (byte[] e : encodedItems) {
      System.arraycopy(e, 0, out, pos, e.length);
      pos += e.length;
    }
    return out;
  }

  private static byte[] listPrefix(int len) {
    if (len < 56) {
      return new byte[] {(byte) (0xc0 + len)};
    }
    byte[] l = BigInteger.valueOf(len).toByteArray();
    int start = l[0] == 0 ? 1 : 0;
    byte[] out = new byte[1 + l.length - start];
    out[0] = (byte) (0xf7 + l.length - start);
    System.arraycopy(l, start, out, 1, l.length - start);
    return out;
  }
}
