package io.layerproof.chain.testing;

import io.layerproof.chain.anvil.AnvilNode;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.http.HttpService;

/**
 * anvil (the pinned npm binary under contracts/node_modules) as a {@link ChainUnderTest}: started
 * on a free 127.0.0.1 port with chain id 31337 and no logs, ready once it answers eth_chainId,
 * destroyed on {@link #close()} and on JVM exit. A missing binary is a failure, not a skip: the
 * suite must run against a chain nobody here wrote.
 */
public final class AnvilChain implements ChainUnderTest {

  private final AnvilNode node;
  private final HttpService service;
  private final Web3j web3j;

  private AnvilChain(AnvilNode node) {
    this.node = node;
    this.service = new HttpService(node.rpcUrl());
    this.web3j = Web3j.build(service);
  }

  public static AnvilChain start() {
    if (AnvilNode.locate().isEmpty()) {
      throw new IllegalStateException(
          "anvil binary not found (contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil):"
              + " run npm ci in contracts/");
    }
    AnvilNode node;
    try {
      node = AnvilNode.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start anvil: " + e.getMessage(), e);
    }
    AnvilChain chain = new AnvilChain(node);
    try {
      chain.awaitChainId(Duration.ofSeconds(20));
    } catch (RuntimeException e) {
      chain.close();
      throw e;
    }
    return chain;
  }

  private void awaitChainId(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        BigInteger id = web3j.ethChainId().send().getChainId();
        if (id != null && id.longValue() == AnvilNode.CHAIN_ID) {
          return;
        }
        throw new IllegalStateException("anvil answered chain id " + id);
      } catch (IOException e) {
        last = e;
        try {
          Thread.sleep(25);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new IllegalStateException("anvil did not answer eth_chainId within " + timeout, last);
  }

  @Override
  public String name() {
    return "anvil";
  }

  @Override
  public Web3j web3j() {
    return web3j;
  }

  @Override
  public long chainId() {
    return AnvilNode.CHAIN_ID;
  }

  @Override
  public Web3jService web3jService() {
    return service;
  }

  @Override
  public void close() {
    try {
      web3j.shutdown();
    } finally {
      node.close();
    }
  }
}
