package io.layerproof.chain.devnet;

import io.horizen.evm.Address;
import io.horizen.evm.BlockHashCallback;
import io.horizen.evm.EvmContext;
import io.horizen.evm.ForkRules;
import io.horizen.evm.Hash;
import java.math.BigInteger;

/** The block a transaction or call executes in, as the EVM sees it (NUMBER, TIMESTAMP, ...). */
record BlockEnv(
    long chainId,
    long number,
    long timestamp,
    String coinbase,
    long gasLimit,
    BigInteger baseFee,
    String mixHash,
    BlockHashCallback blockHashes) {

  /** libevm's highest fork; contracts must be compiled for evmVersion "shanghai". */
  static final ForkRules RULES = new ForkRules(true);

  EvmContext context(BigInteger gasPrice) {
    EvmContext ctx =
        new EvmContext(
            BigInteger.valueOf(chainId),
            new Address(coinbase),
            BigInteger.valueOf(gasLimit),
            gasPrice,
            BigInteger.valueOf(number),
            BigInteger.valueOf(timestamp),
            baseFee,
            new Hash(mixHash),
            RULES);
    ctx.setBlockHashCallback(blockHashes);
    return ctx;
  }
}
