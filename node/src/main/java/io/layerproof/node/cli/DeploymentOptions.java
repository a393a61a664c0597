package io.layerproof.node.cli;

import io.layerproof.node.audit.DeploymentFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command finds the deployment (chain id, contracts): a picocli mixin. */
final class DeploymentOptions {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = ".layerproof/devnet",
      description =
          "A devnet data folder: its deployment.json names the chain id and contracts"
              + " (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--deployment",
      paramLabel = "FILE",
      description = "A deployment.json to use instead of the one in --data-dir.")
  Path deployment;

  DeploymentFile read() {
    return DeploymentFile.read(
        deployment != null ? deployment : dataDir.resolve("deployment.json"));
  }
}
