package io.layerproof.node.devnet;

import io.layerproof.chain.devnet.EmbeddedChain;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Mines an empty block every interval, like anvil's {@code --block-time}. The embedded chain mines
 * only on transactions, but the verifier's sample seed is the hash of the block after a job's last
 * commitment: on a quiet devnet that block would never come.
 */
final class BlockTicker implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(BlockTicker.class.getName());

  private final ScheduledExecutorService timer;

  BlockTicker(EmbeddedChain chain, Duration interval) {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "devnet-block-ticker");
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            chain.mineEmptyBlock();
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "mining an empty block failed", e);
          }
        },
        ms,
        ms,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
