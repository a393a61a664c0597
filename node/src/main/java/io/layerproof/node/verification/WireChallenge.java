package io.layerproof.node.verification;

import io.layerproof.chain.event.EthAddress;
import io.layerproof.verifier.reexec.CommittedShard;
import io.layerproof.verifier.reexec.ReexecutionVerifier;
import io.layerproof.verifier.reexec.ShardVerification;
import io.layerproof.verifier.reexec.Verdict;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.reveal.RevealRequest;
import io.layerproof.verifier.reveal.RevealResponse;
import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.wire.MalformedRevealException;
import io.layerproof.verifier.wire.RevealCodec;
import java.util.List;
import java.util.Optional;

/**
 * One challenge of a provider over the wire: encode the request, exchange bytes, decode the answer
 * within this verifier's limits, re-execute. Used alike by the accuser and by each quorum member.
 *
 * @param response the decoded answer; empty when none came or it was not a well-formed response
 * @param answered whether any bytes came back before the window closed
 */
record WireChallenge(
    RevealRequest request,
    Optional<RevealResponse> response,
    boolean answered,
    ShardVerification verification) {

  static WireChallenge run(
      ReexecutionVerifier verifier,
      RevealTransport transport,
      RevealLimits limits,
      EthAddress provider,
      CommittedShard shard,
      byte[] previousOutputBoundary,
      List<Sample> samples) {
    RevealRequest request = verifier.request(shard, samples);
    Optional<byte[]> wire = transport.exchange(provider, RevealCodec.encode(request));
    if (wire.isEmpty()) {
      return new WireChallenge(
          request,
          Optional.empty(),
          false,
          verifier.verify(shard, previousOutputBoundary, request, Optional.empty()));
    }
    RevealResponse response;
    try {
      response = RevealCodec.decodeResponse(wire.get(), limits);
    } catch (MalformedRevealException e) {
      // Bytes that are not a response prove nothing against the roots: a bad proof per sample.
      List<Verdict> verdicts =
          request.samples().stream()
              .map(
                  s ->
                      new Verdict(
                          s, Verdict.Status.BAD_PROOF, null, "malformed reveal: " + e.getMessage()))
              .toList();
      return new WireChallenge(
          request, Optional.empty(), true, new ShardVerification(shard, verdicts));
    }
    return new WireChallenge(
        request,
        Optional.of(response),
        true,
        verifier.verify(shard, previousOutputBoundary, request, Optional.of(response)));
  }
}
