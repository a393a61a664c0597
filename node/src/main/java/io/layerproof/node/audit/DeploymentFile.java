package io.layerproof.node.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.chain.contracts.ContractAddresses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a deployment lives: the chain id and the five contract addresses, as the devnet writes them
 * to {@code deployment.json} in its data folder ({@code {"chainId":..,"contracts":{"token":..,
 * "registry":..,"market":..,"anchor":..,"distributor":..}}}).
 */
public record DeploymentFile(long chainId, ContractAddresses contracts) {

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * Reads {@code file}.
   *
   * @throws IllegalArgumentException if it is missing, unreadable or incomplete (a one-line reason)
   */
  public static DeploymentFile read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no deployment file at "
              + file
              + " (give --deployment FILE, or --data-dir of the devnet that wrote deployment.json)");
    }
    DeploymentFile d;
    try {
      d = JSON.readValue(file.toFile(), DeploymentFile.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "unreadable deployment file "
              + file
              + ": "
              + (e instanceof com.fasterxml.jackson.core.JacksonException j
                  ? j.getOriginalMessage()
                  : e.getMessage()),
          e);
    }
    ContractAddresses c = d.contracts();
    if (d.chainId() <= 0
        || c == null
        || c.market() == null
        || c.anchor() == null
        || c.registry() == null
        || c.distributor() == null) {
      throw new IllegalArgumentException(
          "deployment file "
              + file
              + " needs a chainId and the market, anchor, registry and distributor addresses");
    }
    return d;
  }

  /** Writes this deployment as {@code deployment.json} does. */
  public void write(Path file) {
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file, e);
    }
  }
}
