package io.layerproof.chain.devnet;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the embedded chain starts from. Stored with the chain on first open; a data folder reopened
 * with a different chain id is refused.
 *
 * @param chainId EIP-155 chain id (default 1337)
 * @param blockGasLimit gas limit of every block (default 30M)
 * @param baseFeePerGas the base fee of every block; constant, so fees are predictable in tests
 * @param coinbase the address that receives priority fees
 * @param alloc initial balances, lowercase address to wei
 * @param timestamp genesis block time in seconds; 0 means "when the chain is first created"
 */
public record DevnetGenesis(
    long chainId,
    long blockGasLimit,
    BigInteger baseFeePerGas,
    String coinbase,
    Map<String, BigInteger> alloc,
    long timestamp) {

  public static final long DEFAULT_CHAIN_ID = 1337;
  public static final long DEFAULT_BLOCK_GAS_LIMIT = 30_000_000L;
  public static final BigInteger DEFAULT_BASE_FEE = BigInteger.valueOf(1_000_000_000L);
  public static final String DEFAULT_COINBASE = "0x0000000000000000000000000000000000000000";

  public DevnetGenesis {
    if (chainId <= 0) {
      throw new IllegalArgumentException("chain id must be positive: " + chainId);
    }
    if (blockGasLimit < 21_000) {
      throw new IllegalArgumentException("block gas limit below 21000: " + blockGasLimit);
    }
    if (baseFeePerGas == null || baseFeePerGas.signum() < 0) {
      throw new IllegalArgumentException("base fee must be >= 0");
    }
    if (timestamp < 0) {
      throw new IllegalArgumentException("timestamp must be >= 0");
    }
    coinbase = Hex.address(coinbase);
    TreeMap<String, BigInteger> copy = new TreeMap<>();
    for (Map.Entry<String, BigInteger> e : alloc.entrySet()) {
      BigInteger wei = e.getValue();
      if (wei == null || wei.signum() < 0 || wei.bitLength() > 256) {
        throw new IllegalArgumentException("bad genesis balance for " + e.getKey());
      }
      copy.merge(Hex.address(e.getKey()), wei, BigInteger::add);
    }
    alloc = Map.copyOf(copy);
  }

  public static DevnetGenesis defaults() {
    return new DevnetGenesis(
        DEFAULT_CHAIN_ID, DEFAULT_BLOCK_GAS_LIMIT, DEFAULT_BASE_FEE, DEFAULT_COINBASE, Map.of(), 0);
  }

  public DevnetGenesis withAlloc(String address, BigInteger wei) {
    Map<String, BigInteger> next = new TreeMap<>(alloc);
    next.put(Hex.address(address), wei);
    return new DevnetGenesis(chainId, blockGasLimit, baseFeePerGas, coinbase, next, timestamp);
  }

  public DevnetGenesis withChainId(long id) {
    return new DevnetGenesis(id, blockGasLimit, baseFeePerGas, coinbase, alloc, timestamp);
  }

  public DevnetGenesis withBlockGasLimit(long gas) {
    return new DevnetGenesis(chainId, gas, baseFeePerGas, coinbase, alloc, timestamp);
  }

  public DevnetGenesis withBaseFee(BigInteger wei) {
    return new DevnetGenesis(chainId, blockGasLimit, wei, coinbase, alloc, timestamp);
  }

  public DevnetGenesis withCoinbase(String address) {
    return new DevnetGenesis(chainId, blockGasLimit, baseFeePerGas, address, alloc, timestamp);
  }

  public DevnetGenesis withTimestamp(long seconds) {
    return new DevnetGenesis(chainId, blockGasLimit, baseFeePerGas, coinbase, alloc, seconds);
  }
}
