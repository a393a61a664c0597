package io.layerproof.node.devnet;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;

/**
 * Mines an empty block every interval, like anvil's {@code --block-time}. The embedded chain mines
 * only on transactions, but the verifier's sample seed is the hash of the block after a job's last
 * commitment: on a quiet devnet that block would never come.
 */
final class BlockTicker implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(BlockTicker.class.getName());

  /** A response whose result is ignored. */
  static final class Ignored extends Response<Object> {}

  private final ScheduledExecutorService timer;

  BlockTicker(Web3jService chain, Duration interval) {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "devnet-block-ticker");
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    timer.scheduleWithFixedDelay(() -> mine(chain), ms, ms, TimeUnit.MILLISECONDS);
  }

  private static void mine(Web3jService chain) {
    try {
      Response<?> r = new Request<>("evm_mine", List.of(), chain, Ignored.class).send();
      if (r.hasError()) {
        LOG.log(System.Logger.Level.WARNING, "evm_mine: " + r.getError().getMessage());
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "evm_mine failed", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
