package io.layerproof.chain.event;

import java.util.Optional;

/**
 * The last pipeline stage produced the token at {@code position} (0-based, after the prompt) and
 * streamed it to the buyer. Emitted by that stage's provider.
 */
public record TokenStreamed(Bytes32 jobId, int position, int tokenId) implements LedgerEvent {
  public TokenStreamed {
    Checks.present(jobId, "jobId");
    Checks.nonNegative(position, "position");
    Checks.nonNegative(tokenId, "tokenId");
  }

  @Override
  public Optional<Bytes32> job() {
    return Optional.of(jobId);
  }
}
