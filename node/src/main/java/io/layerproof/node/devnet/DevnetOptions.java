package io.layerproof.node.devnet;

import java.nio.file.Path;

/**
 * How to run the devnet.
 *
 * @param dataDir where chain state, deployment and demo keys live
 * @param host JSON-RPC bind address (loopback by default: a dev chain is not for the network)
 * @param rpcPort JSON-RPC port, 0 for any free port
 * @param apiPort the gateway's port (on {@code host}), 0 for any free port
 * @param chainId EIP-155 chain id of the embedded chain
 * @param reset delete {@code dataDir} first
 */
public record DevnetOptions(
    Path dataDir, String host, int rpcPort, int apiPort, long chainId, boolean reset) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_RPC_PORT = 8545;
  public static final int DEFAULT_API_PORT = 8080;

  public DevnetOptions {
    if (rpcPort < 0 || rpcPort > 65_535) {
      throw new IllegalArgumentException("RPC port must be 0..65535, got " + rpcPort);
    }
    if (apiPort < 0 || apiPort > 65_535) {
      throw new IllegalArgumentException("API port must be 0..65535, got " + apiPort);
    }
    if (chainId <= 0) {
      throw new IllegalArgumentException("chain id must be positive, got " + chainId);
    }
  }

  /** Options with any free ports (tests). */
  public static DevnetOptions ephemeral(Path dataDir, boolean reset) {
    return new DevnetOptions(dataDir, DEFAULT_HOST, 0, 0, 1337, reset);
  }
}
