package io.layerproof.chain.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.web3j.crypto.Hash;

/** A 32-byte value: a hash, a Merkle root, a job id (the EIP-712 digest of the request). */
public final class Bytes32 extends ByteValue implements Comparable<Bytes32> {

  public static final Bytes32 ZERO = new Bytes32(new byte[32]);

  private Bytes32(byte[] bytes) {
    super(bytes, 32, "bytes32");
  }

  public static Bytes32 of(byte[] bytes) {
    return new Bytes32(bytes);
  }

  @JsonCreator
  public static Bytes32 fromHex(String hex) {
    return new Bytes32(parseHex(hex, 32, "bytes32"));
  }

  /** keccak256 of {@code data}, Ethereum's hash. */
  public static Bytes32 keccak(byte[] data) {
    return new Bytes32(Hash.sha3(data));
  }

  public boolean isZero() {
    return equals(ZERO);
  }

  @Override
  public int compareTo(Bytes32 o) {
    return compareBytes(o);
  }
}
