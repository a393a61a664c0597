package io.layerproof.benchmarks;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.JobSettled;
import io.layerproof.chain.event.LayerCommitmentsGenerated;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.Payout;
import io.layerproof.chain.event.Sample;
import io.layerproof.chain.event.ShardAssignment;
import io.layerproof.chain.event.ShardsAssigned;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.event.TokenStreamed;
import io.layerproof.chain.event.VerificationPassed;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;

/**
 * Realistic ledger traffic: whole jobs, each a buyer-signed JobPosted, a ShardsAssigned, one
 * TokenStreamed per token, two LayerCommitmentsGenerated, two VerificationPassed and a JobSettled,
 * every event signed by its proper author. With 32 tokens a job is 39 events, one of which carries
 * a secp256k1 buyer signature. Authors are named after {@code shard} so that concurrent producers
 * never share an author (and its sequence numbers).
 */
final class Traffic {

  private Traffic() {}

  /** At least {@code count} canonical wire envelopes (whole jobs). */
  static List<byte[]> jobs(LedgerDomain domain, String shard, int count, int tokensPerJob) {
    EventSigner gateway = signer(domain, shard, "gateway");
    EventSigner sequencer = signer(domain, shard, "sequencer");
    EventSigner a = signer(domain, shard, "provider-a");
    EventSigner b = signer(domain, shard, "provider-b");
    EventSigner verifier = signer(domain, shard, "verifier");
    Credentials buyer = TestEvents.buyer(shard + " buyer");
    List<byte[]> out = new ArrayList<>(count + tokensPerJob + 8);
    for (long nonce = 1; out.size() < count; nonce++) {
      TestEvents.SignedRequest req = TestEvents.postJob(domain, buyer, nonce);
      Bytes32 job = req.event().jobId();
      out.add(gateway.sign(req.event(), req.signature()).toWire());
      out.add(
          sequencer
              .sign(
                  new ShardsAssigned(
                      job,
                      List.of(
                          new ShardAssignment(0, a.author(), 0, 16),
                          new ShardAssignment(1, b.author(), 16, 32)),
                      verifier.author()))
              .toWire());
      for (int t = 0; t < tokensPerJob; t++) {
        out.add(b.sign(new TokenStreamed(job, t, 1000 + t)).toWire());
      }
      Bytes32 mid = TestEvents.h("boundary " + nonce);
      out.add(
          a.sign(
                  new LayerCommitmentsGenerated(
                      job,
                      0,
                      0,
                      16,
                      tokensPerJob,
                      TestEvents.h("a" + nonce),
                      TestEvents.h("in"),
                      mid))
              .toWire());
      out.add(
          b.sign(
                  new LayerCommitmentsGenerated(
                      job,
                      1,
                      16,
                      32,
                      tokensPerJob,
                      TestEvents.h("b" + nonce),
                      mid,
                      TestEvents.h("out")))
              .toWire());
      out.add(verifier.sign(new VerificationPassed(job, 0, List.of(new Sample(3, 7)))).toWire());
      out.add(verifier.sign(new VerificationPassed(job, 1, List.of(new Sample(9, 20)))).toWire());
      out.add(
          sequencer
              .sign(
                  new JobSettled(
                      job,
                      List.of(new Payout(TestEvents.address(buyer), BigInteger.valueOf(1000))),
                      BigInteger.ONE))
              .toWire());
    }
    return out;
  }

  /** {@code count} TokenStreamed envelopes of one author (uniform events for proof benchmarks). */
  static List<byte[]> tokens(LedgerDomain domain, String author, int count) {
    EventSigner s = signer(domain, author, "streamer");
    List<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(s.sign(new TokenStreamed(TestEvents.h(author), i, i)).toWire());
    }
    return out;
  }

  private static EventSigner signer(LedgerDomain domain, String shard, String role) {
    return new EventSigner(TestEvents.nodeKey(shard + " " + role), domain, 0);
  }
}
