package io.layerproof.node.cli;

import io.layerproof.chain.contracts.ChainConnection;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.node.audit.DeploymentFile;
import io.layerproof.node.devnet.DevnetOptions;
import io.layerproof.wallet.keystore.Keystore;
import java.io.UncheckedIOException;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every command that talks to a deployment shares (picocli mixin): RPC and deployment. */
final class ChainOptions {
  @Option(
      names = "--rpc",
      paramLabel = "URL",
      defaultValue = "http://" + DevnetOptions.DEFAULT_HOST + ":" + DevnetOptions.DEFAULT_RPC_PORT,
      description = "Ethereum JSON-RPC endpoint of the chain (default: ${DEFAULT-VALUE}).")
  String rpc;

  @Mixin DeploymentOptions deployment;

  DeploymentFile deploymentFile() {
    return deployment.read();
  }

  /** Runs {@code body} with contracts that send as {@code keystore}'s account. */
  <T> T withContracts(Keystore keystore, Function<LayerproofContracts, T> body) {
    DeploymentFile d = deploymentFile();
    try (ChainConnection chain = ChainConnection.rpc(rpc, d.chainId())) {
      return body.apply(LayerproofContracts.load(chain, keystore.credentials(), d.contracts()));
    } catch (UncheckedIOException e) {
      throw new IllegalStateException(
          "cannot reach the chain at " + rpc + ": " + WalletCommand.rootMessage(e), e);
    }
  }
}
