package io.layerproof.chain.event;

import com.fasterxml.jackson.annotation.JsonCreator;

/** A 20-byte Ethereum account or contract address; written lowercase (no EIP-55 checksum). */
public final class EthAddress extends ByteValue implements Comparable<EthAddress> {

  private EthAddress(byte[] bytes) {
    super(bytes, 20, "address");
  }

  public static EthAddress of(byte[] bytes) {
    return new EthAddress(bytes);
  }

  /** Accepts either case (Web3j and wallets hand out checksummed addresses). */
  @JsonCreator
  public static EthAddress fromHex(String hex) {
    return new EthAddress(parseHex(hex, 20, "address"));
  }

  @Override
  public int compareTo(EthAddress o) {
    return compareBytes(o);
  }
}
