package io.layerproof.chain.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.utils.Numeric;

/**
 * A chain the contract suite runs against. The embedded devnet and anvil both answer the same
 * development RPC methods ({@code anvil_setBalance}, {@code evm_increaseTime}, {@code evm_mine}),
 * so one suite drives both through nothing but JSON-RPC.
 */
public interface ChainUnderTest extends AutoCloseable {

  /** Short name shown in test reports: "embedded" or "anvil". */
  String name();

  Web3j web3j();

  long chainId();

  /** A fresh random account holding {@code wei} of native currency. */
  default Credentials newFundedAccount(BigInteger wei) {
    try {
      Credentials c = Credentials.create(Keys.createEcKeyPair());
      rpc("anvil_setBalance", List.of(c.getAddress(), Numeric.toHexStringWithPrefix(wei)));
      return c;
    } catch (Exception e) {
      throw new IllegalStateException("cannot fund a test account on " + name(), e);
    }
  }

  /** Moves the chain's clock forward and mines a block, so the next block is later. */
  default void increaseTime(long seconds) {
    rpc("evm_increaseTime", List.of(seconds));
    rpc("evm_mine", List.of());
  }

  /** Sends a raw JSON-RPC call and fails on an error answer. */
  default Object rpc(String method, List<?> params) {
    try {
      Response<?> r = new Request<>(method, params, web3jService(), RawResponse.class).send();
      if (r.hasError()) {
        throw new IllegalStateException(method + ": " + r.getError().getMessage());
      }
      return r.getResult();
    } catch (IOException e) {
      throw new IllegalStateException(method + " failed on " + name(), e);
    }
  }

  org.web3j.protocol.Web3jService web3jService();

  @Override
  void close();

  /** A response whose result is kept as parsed JSON. */
  final class RawResponse extends Response<Object> {}
}
