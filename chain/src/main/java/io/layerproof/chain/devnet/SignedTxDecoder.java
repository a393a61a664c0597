package io.layerproof.chain.devnet;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.rlp.RlpDecoder;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;
import org.web3j.utils.Numeric;

/**
 * Decodes raw signed transactions (legacy EIP-155, EIP-2930, EIP-1559) with Web3j's RLP decoder and
 * recovers the sender. The signing payload is rebuilt from the exact decoded fields, and the input
 * must re-encode to the same bytes, so non-canonical encodings cannot produce a second hash for one
 * transaction.
 */
final class SignedTxDecoder {

  /** geth's txpool limit: 4 slots of 32 KiB. */
  static final int MAX_TX_BYTES = 128 * 1024;

  private static final BigInteger SECP256K1_N = Sign.CURVE_PARAMS.getN();
  private static final BigInteger SECP256K1_HALF_N = SECP256K1_N.shiftRight(1);

  private SignedTxDecoder() {}

  /** Decodes and verifies a transaction received from a client. */
  static SignedTx decode(byte[] raw) {
    return decode(raw, null);
  }

  /**
   * Decodes a transaction. With {@code knownSender} set (stored transactions) the costly sender
   * recovery is skipped.
   */
  static SignedTx decode(byte[] raw, String knownSender) {
    if (raw.length == 0) {
      throw RpcException.rejected("typed transaction too short");
    }
    if (raw.length > MAX_TX_BYTES) {
      throw RpcException.rejected(
          "oversized data: transaction size " + raw.length + ", limit " + MAX_TX_BYTES);
    }
    int first = raw[0] & 0xff;
    if (first >= 0xc0) {
      return decodeLegacy(raw, knownSender);
    }
    if (first == 1 || first == 2) {
      return decodeTyped(first, raw, knownSender);
    }
    if (first < 0x80) {
      throw RpcException.rejected("transaction type not supported");
    }
    throw RpcException.rejected("rlp: expected input list for types.LegacyTx");
  }

  private static SignedTx decodeLegacy(byte[] raw, String knownSender) {
    List<RlpType> f = fields(raw, 0, 9, "types.LegacyTx");
    long nonce = uint64(f.get(0), "nonce");
    BigInteger gasPrice = uint256(f.get(1), "gasPrice");
    long gas = uint64(f.get(2), "gas");
    String to = recipient(f.get(3));
    BigInteger value = uint256(f.get(4), "value");
    byte[] data = str(f.get(5), "data").getBytes();
    BigInteger v = uint256(f.get(6), "v");
    BigInteger r = uint256(f.get(7), "r");
    BigInteger s = uint256(f.get(8), "s");
    if (v.equals(BigInteger.valueOf(27)) || v.equals(BigInteger.valueOf(28))) {
      throw RpcException.rejected("only replay-protected (EIP-155) transactions allowed over RPC");
    }
    if (v.compareTo(BigInteger.valueOf(35)) < 0 || v.bitLength() > 63) {
      throw RpcException.rejected("invalid transaction v, r, s values");
    }
    long vv = v.longValueExact();
    long chainId = (vv - 35) / 2;
    int recId = (int) ((vv - 35) % 2);
    List<RlpType> unsigned = new ArrayList<>(f.subList(0, 6));
    unsigned.add(Rlp.uint(chainId));
    unsigned.add(Rlp.uint(0));
    unsigned.add(Rlp.uint(0));
    byte[] sigHash = Hash.sha3(RlpEncoder.encode(new RlpList(unsigned)));
    String from = knownSender != null ? knownSender : recover(sigHash, recId, r, s);
    return new SignedTx(
        0,
        chainId,
        nonce,
        gasPrice,
        gasPrice,
        gas,
        to,
        value,
        data,
        List.of(),
        v,
        r,
        s,
        from,
        Numeric.toHexString(Hash.sha3(raw)),
        raw);
  }

  private static SignedTx decodeTyped(int type, byte[] raw, String knownSender) {
    int n = type == 2 ? 12 : 11;
    List<RlpType> f = fields(raw, 1, n, type == 2 ? "types.DynamicFeeTx" : "types.AccessListTx");
    int i = 0;
    BigInteger chainId = uint256(f.get(i++), "chainId");
    long nonce = uint64(f.get(i++), "nonce");
    BigInteger tip;
    BigInteger feeCap;
    if (type == 2) {
      tip = uint256(f.get(i++), "maxPriorityFeePerGas");
      feeCap = uint256(f.get(i++), "maxFeePerGas");
    } else {
      tip = uint256(f.get(i++), "gasPrice");
      feeCap = tip;
    }
    long gas = uint64(f.get(i++), "gas");
    String to = recipient(f.get(i++));
    BigInteger value = uint256(f.get(i++), "value");
    byte[] data = str(f.get(i++), "data").getBytes();
    List<SignedTx.AccessEntry> accessList = accessList(f.get(i++));
    BigInteger yParity = uint256(f.get(i++), "yParity");
    BigInteger r = uint256(f.get(i++), "r");
    BigInteger s = uint256(f.get(i), "s");
    if (yParity.compareTo(BigInteger.ONE) > 0) {
      throw RpcException.rejected("invalid transaction v, r, s values");
    }
    if (chainId.bitLength() > 63) {
      throw RpcException.rejected("invalid chain id for signer: have " + chainId);
    }
    byte[] payload = RlpEncoder.encode(new RlpList(new ArrayList<>(f.subList(0, n - 3))));
    byte[] typed = new byte[payload.length + 1];
    typed[0] = (byte) type;
    System.arraycopy(payload, 0, typed, 1, payload.length);
    byte[] sigHash = Hash.sha3(typed);
    String from = knownSender != null ? knownSender : recover(sigHash, yParity.intValue(), r, s);
    return new SignedTx(
        type,
        chainId.longValueExact(),
        nonce,
        tip,
        feeCap,
        gas,
        to,
        value,
        data,
        accessList,
        yParity,
        r,
        s,
        from,
        Numeric.toHexString(Hash.sha3(raw)),
        raw);
  }

  /** The top-level field list; the input must be exactly one canonical RLP list. */
  private static List<RlpType> fields(byte[] raw, int offset, int expected, String goType) {
    byte[] body = offset == 0 ? raw : Arrays.copyOfRange(raw, offset, raw.length);
    RlpList top;
    try {
      top = RlpDecoder.decode(body);
    } catch (RuntimeException e) {
      throw RpcException.rejected("rlp: malformed input for " + goType);
    }
    if (top.getValues().isEmpty() || !(top.getValues().get(0) instanceof RlpList list)) {
      throw RpcException.rejected("rlp: expected input list for " + goType);
    }
    if (top.getValues().size() > 1) {
      throw RpcException.rejected("rlp: non-canonical encoding or trailing bytes for " + goType);
    }
    if (list.getValues().size() != expected) {
      throw RpcException.rejected(
          "rlp: wrong number of fields for "
              + goType
              + ": have "
              + list.getValues().size()
              + ", want "
              + expected);
    }
    if (!Arrays.equals(RlpEncoder.encode(list), body)) {
      throw RpcException.rejected("rlp: non-canonical encoding or trailing bytes for " + goType);
    }
    return list.getValues();
  }

  private static RlpString str(RlpType t, String field) {
    if (t instanceof RlpString s) {
      return s;
    }
    throw RpcException.rejected("rlp: expected string for field " + field);
  }

  private static BigInteger uint256(RlpType t, String field) {
    byte[] b = str(t, field).getBytes();
    if (b.length > 32) {
      throw RpcException.rejected("rlp: input string too long for uint256, decoding " + field);
    }
    if (b.length > 0 && b[0] == 0) {
      throw RpcException.rejected("rlp: non-canonical integer (leading zero bytes) for " + field);
    }
    return new BigInteger(1, b);
  }

  private static long uint64(RlpType t, String field) {
    BigInteger v = uint256(t, field);
    // Above 2^63 nothing here can be valid (gas limits and nonces never get near it).
    if (v.bitLength() > 63) {
      throw RpcException.rejected("rlp: input string too long for uint64, decoding " + field);
    }
    return v.longValue();
  }

  private static String recipient(RlpType t) {
    byte[] b = str(t, "to").getBytes();
    if (b.length == 0) {
      return null;
    }
    if (b.length != 20) {
      throw RpcException.rejected("rlp: input string has wrong size for common.Address");
    }
    return Numeric.toHexString(b);
  }

  private static List<SignedTx.AccessEntry> accessList(RlpType t) {
    if (!(t instanceof RlpList list)) {
      throw RpcException.rejected("rlp: expected list for accessList");
    }
    List<SignedTx.AccessEntry> out = new ArrayList<>();
    for (RlpType e : list.getValues()) {
      if (!(e instanceof RlpList tuple)
          || tuple.getValues().size() != 2
          || !(tuple.getValues().get(1) instanceof RlpList keys)) {
        throw RpcException.rejected("rlp: malformed access list entry");
      }
      byte[] addr = str(tuple.getValues().get(0), "accessList.address").getBytes();
      if (addr.length != 20) {
        throw RpcException.rejected("rlp: access list address has wrong size");
      }
      List<String> slots = new ArrayList<>();
      for (RlpType k : keys.getValues()) {
        byte[] key = str(k, "accessList.storageKeys").getBytes();
        if (key.length != 32) {
          throw RpcException.rejected("rlp: access list storage key has wrong size");
        }
        slots.add(Numeric.toHexString(key));
      }
      out.add(new SignedTx.AccessEntry(Numeric.toHexString(addr), List.copyOf(slots)));
    }
    return List.copyOf(out);
  }

  /** geth's ValidateSignatureValues (homestead: low s) followed by public key recovery. */
  private static String recover(byte[] sigHash, int recId, BigInteger r, BigInteger s) {
    if (r.signum() <= 0
        || s.signum() <= 0
        || r.compareTo(SECP256K1_N) >= 0
        || s.compareTo(SECP256K1_HALF_N) > 0) {
      throw RpcException.rejected("invalid transaction v, r, s values");
    }
    BigInteger pub;
    try {
      pub = Sign.recoverFromSignature(recId, new ECDSASignature(r, s), sigHash);
    } catch (RuntimeException e) {
      pub = null;
    }
    if (pub == null) {
      throw RpcException.rejected("invalid sender: cannot recover public key");
    }
    return "0x" + Keys.getAddress(pub).toLowerCase(Locale.ROOT);
  }
}
