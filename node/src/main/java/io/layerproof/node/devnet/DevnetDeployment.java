package io.layerproof.node.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.chain.contracts.ContractAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What the devnet set up on its chain, saved once every set-up step has succeeded so a restart
 * reuses it instead of deploying again.
 */
record DevnetDeployment(long chainId, ContractAddresses contracts) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Optional<DevnetDeployment> read(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), DevnetDeployment.class));
    } catch (IOException e) {
      throw new IllegalStateException(
          "unreadable " + file + " (" + e.getMessage() + "); start with --reset", e);
    }
  }

  void write(Path file) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
