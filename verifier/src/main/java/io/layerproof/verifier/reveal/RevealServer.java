package io.layerproof.verifier.reveal;

import java.util.Optional;

/**
 * The provider's side of a challenge. Empty means no answer (a provider that refuses, or is gone):
 * once the challenge window has passed, the verifier counts that as a failed check.
 */
public interface RevealServer {

  /**
   * @throws IllegalArgumentException for a request beyond the limits or for cells that were never
   *     committed (the verifier asked for something it should not have)
   */
  Optional<RevealResponse> answer(RevealRequest request);
}
