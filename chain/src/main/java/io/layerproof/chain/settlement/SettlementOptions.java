package io.layerproof.chain.settlement;

import io.layerproof.chain.ledger.anchor.RetryPolicy;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a {@link SettlementService} runs.
 *
 * @param localAccounts accounts this node claims for (its providers', verifier's): after each epoch
 *     root the settler claims their cumulative earnings; the tokens always go to the account
 * @param fromBlock the first block to scan for {@code JobOpened} (e.g. the market's deployment)
 * @param logBlockChunk blocks per eth_getLogs query (nodes cap the range; the devnet at 100,000)
 * @param retry transient failures (I/O, receipt timeouts) are retried this often per step
 * @param listener told around every transaction
 */
public record SettlementOptions(
    Set<String> localAccounts,
    long fromBlock,
    long logBlockChunk,
    RetryPolicy retry,
    SettlementListener listener) {

  public SettlementOptions {
    Set<String> normalized = new TreeSet<>();
    for (String a : localAccounts) {
      if (a == null || !a.matches("0x[0-9a-fA-F]{40}")) {
        throw new IllegalArgumentException("not an address: " + a);
      }
      normalized.add(a.toLowerCase(Locale.ROOT));
    }
    localAccounts = java.util.Collections.unmodifiableSet(normalized);
    if (fromBlock < 0) {
      throw new IllegalArgumentException("fromBlock must be >= 0");
    }
    if (logBlockChunk <= 0) {
      throw new IllegalArgumentException("logBlockChunk must be > 0");
    }
    if (retry == null || listener == null) {
      throw new IllegalArgumentException("retry and listener are required");
    }
  }

  /** Scans from block 0 in chunks of 10,000 blocks, retries as {@link RetryPolicy#defaults()}. */
  public static SettlementOptions defaults(Collection<String> localAccounts) {
    return new SettlementOptions(
        Set.copyOf(localAccounts), 0, 10_000, RetryPolicy.defaults(), SettlementListener.NONE);
  }

  public SettlementOptions withFromBlock(long block) {
    return new SettlementOptions(localAccounts, block, logBlockChunk, retry, listener);
  }

  public SettlementOptions withRetry(RetryPolicy policy) {
    return new SettlementOptions(localAccounts, fromBlock, logBlockChunk, policy, listener);
  }

  public SettlementOptions withListener(SettlementListener l) {
    return new SettlementOptions(localAccounts, fromBlock, logBlockChunk, retry, l);
  }

  public SettlementOptions withLogBlockChunk(long blocks) {
    return new SettlementOptions(localAccounts, fromBlock, blocks, retry, listener);
  }
}
