package io.layerproof.chain.contracts;

import io.layerproof.chain.devnet.EmbeddedChain;
import java.io.IOException;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * A chain the typed client talks to: the embedded devnet in-process, or any Ethereum JSON-RPC
 * endpoint. An RPC connection checks the endpoint's chain id against the one the caller expects, so
 * transactions are never signed for one chain and sent to another.
 */
public record ChainConnection(Web3j web3j, long chainId) implements AutoCloseable {

  /** The embedded chain through its in-process Web3j service (no sockets). */
  public static ChainConnection embedded(EmbeddedChain chain) {
    return new ChainConnection(Web3j.build(chain.web3jService()), chain.chainId());
  }

  /** A JSON-RPC endpoint that must report {@code expectedChainId}. */
  public static ChainConnection rpc(String url, long expectedChainId) {
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw new IllegalArgumentException("RPC URL must be http:// or https://, got " + url);
    }
    Web3j web3j = Web3j.build(new HttpService(url));
    BigInteger reported;
    try {
      reported = web3j.ethChainId().send().getChainId();
    } catch (IOException | RuntimeException e) {
      web3j.shutdown();
      throw new IllegalStateException("cannot reach " + url + ": " + e.getMessage(), e);
    }
    if (reported == null || reported.longValueExact() != expectedChainId) {
      web3j.shutdown();
      throw new IllegalStateException(
          url + " is chain " + reported + ", not the expected chain " + expectedChainId);
    }
    return new ChainConnection(web3j, expectedChainId);
  }

  @Override
  public void close() {
    web3j.shutdown();
  }
}
