package io.layerproof.node.gateway;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Where authorised chat requests become jobs. {@link #open} runs before the response starts, so a
 * refusal (the chain rejected the request, no capacity) is still an ordinary HTTP error; {@link
 * #run} then generates, streaming tokens to the listener. Both block: the gateway calls them on a
 * worker thread.
 */
public interface JobBackend {

  /** A job that may run: its id (the on-chain job id, or a local one). */
  record OpenedJob(String id, List<ChatMessage> messages, SamplingParams params) {
    public OpenedJob {
      Objects.requireNonNull(id, "id");
      messages = List.copyOf(messages);
      Objects.requireNonNull(params, "params");
    }
  }

  /**
   * Opens a job for {@code messages}, paid as {@code auth} allows.
   *
   * @throws GatewayException to refuse the request (no work was done, nothing is charged)
   */
  OpenedJob open(Authorisation auth, List<ChatMessage> messages, SamplingParams params);

  /** Generates the reply of an opened job. */
  CompletionBackend.Result run(OpenedJob job, TokenListener listener);

  /**
   * Makes a revocation the buyer signed binding beyond this gateway (JobMarket's {@code
   * revokeSessionWithSig}); returns whether it is now recorded there. Without a chain: false.
   */
  default boolean revokeSession(
      EthAddress buyer, Bytes32 sessionId, BigInteger nonce, byte[] signature) {
    return false;
  }

  /**
   * Runs every request on {@code backend} with nothing on chain: for tests, benchmarks and a
   * gateway in front of a plain model. Job ids are local random ids.
   */
  static JobBackend local(CompletionBackend backend) {
    Objects.requireNonNull(backend, "backend");
    return new JobBackend() {
      @Override
      public OpenedJob open(Authorisation auth, List<ChatMessage> messages, SamplingParams params) {
        return new OpenedJob("local-" + UUID.randomUUID(), messages, params);
      }

      @Override
      public CompletionBackend.Result run(OpenedJob job, TokenListener listener) {
        return backend.complete(job.messages(), job.params(), listener);
      }
    };
  }
}
