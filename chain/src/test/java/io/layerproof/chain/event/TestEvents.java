package io.layerproof.chain.event;

import io.layerproof.chain.contracts.JobMarketEip712;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Deterministic test data: keys derived from fixed seed strings (test keys only, never used
 * anywhere real), one of each event, and whole job stories signed by their proper authors.
 */
public final class TestEvents {

  /** The devnet's chain id and a fixed market address. */
  public static final LedgerDomain DOMAIN =
      LedgerDomain.of(1337, "0x5fbdb2315678afecb367f032d93f642f64180aa3");

  private TestEvents() {}

  /** An Ed25519 test key: seed = SHA-256("layerproof test node key: " + name). */
  public static NodeKey nodeKey(String name) {
    try {
      return NodeKey.fromSeed(
          MessageDigest.getInstance("SHA-256")
              .digest(("layerproof test node key: " + name).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** A secp256k1 test wallet: private key = keccak256("layerproof test buyer key: " + name). */
  public static Credentials buyer(String name) {
    byte[] key = Hash.sha3(("layerproof test buyer key: " + name).getBytes(StandardCharsets.UTF_8));
    return Credentials.create(Numeric.toHexStringNoPrefixZeroPadded(new BigInteger(1, key), 64));
  }

  public static EthAddress address(Credentials c) {
    return EthAddress.fromHex(c.getAddress());
  }

  public static Bytes32 h(String s) {
    return Bytes32.keccak(s.getBytes(StandardCharsets.UTF_8));
  }

  public static EventId eventId(String s) {
    byte[] b = new byte[16];
    System.arraycopy(h("event id " + s).toByteArray(), 0, b, 0, 16);
    return EventId.of(b);
  }

  /** A JobPosted and the buyer's EIP-712 signature of its request. */
  public record SignedRequest(JobPosted event, EcdsaSignature signature) {}

  public static SignedRequest postJob(LedgerDomain domain, Credentials buyer, long nonce) {
    PostJob unsigned =
        new PostJob(
            address(buyer),
            h("model: synthetic-llama-8l"),
            h("messages " + nonce),
            BigInteger.valueOf(64),
            BigInteger.valueOf(1_000_000_000_000L),
            BigInteger.valueOf(nonce),
            BigInteger.valueOf(4_102_444_800L),
            EcdsaSignature.of(new byte[65]));
    JobPosted event = unsigned.toEvent(domain);
    byte[] sig = JobMarketEip712.sign(event.buyerDigest(domain), buyer);
    return new SignedRequest(event, EcdsaSignature.of(sig));
  }

  /** One event of every type, with fixed contents (the golden vectors use these). */
  public static List<LedgerEvent> oneOfEach() {
    NodeId a = nodeKey("provider-a").id();
    NodeId b = nodeKey("provider-b").id();
    NodeId v = nodeKey("verifier").id();
    Bytes32 job = h("job");
    return List.of(
        new NodeJoined(
            a, EthAddress.fromHex("0x00000000000000000000000000000000000000aa"), 1, 16_384),
        new NodeTimedOut(b, 1_700_000_000_000L),
        postJob(DOMAIN, buyer("alice"), 1).event(),
        new ShardsAssigned(
            job, List.of(new ShardAssignment(0, a, 0, 16), new ShardAssignment(1, b, 16, 32)), v),
        new TokenStreamed(job, 3, 29_871),
        new LayerCommitmentsGenerated(job, 1, 16, 32, 64, h("root"), h("in"), h("out")),
        new VerificationPassed(job, 0, List.of(new Sample(5, 3), new Sample(60, 15))),
        new FraudDetected(
            job,
            1,
            b,
            List.of(
                new SampleVerdict(new Sample(7, 20), true, 12),
                new SampleVerdict(new Sample(41, 31), false, 870_000)),
            h("evidence")),
        new JobSettled(
            job,
            List.of(
                new Payout(
                    EthAddress.fromHex("0x00000000000000000000000000000000000000aa"),
                    new BigInteger("123456789012345678901234567890")),
                new Payout(
                    EthAddress.fromHex("0x00000000000000000000000000000000000000bb"),
                    BigInteger.ONE)),
            BigInteger.ZERO),
        new BatchAnchored(3, 3072, 1024, h("batch 3"), h("batch 2"), h("tx"), 77));
  }

  /** The signers of one network: a gateway, a sequencer, two providers and a verifier. */
  public record Cast(
      EventSigner gateway,
      EventSigner sequencer,
      EventSigner providerA,
      EventSigner providerB,
      EventSigner verifier,
      Credentials buyer,
      LedgerDomain domain) {

    public static Cast fresh(LedgerDomain domain) {
      return new Cast(
          new EventSigner(nodeKey("gateway"), domain, 0),
          new EventSigner(nodeKey("sequencer"), domain, 0),
          new EventSigner(nodeKey("provider-a"), domain, 0),
          new EventSigner(nodeKey("provider-b"), domain, 0),
          new EventSigner(nodeKey("verifier"), domain, 0),
          TestEvents.buyer("alice"),
          domain);
    }

    /** Every node announces itself. */
    public List<SignedEvent> joins() {
      EthAddress op = address(TestEvents.buyer("operator"));
      return List.of(
          gateway.sign(new NodeJoined(gateway.author(), op, 4, 1024)),
          sequencer.sign(new NodeJoined(sequencer.author(), op, 4, 1024)),
          providerA.sign(new NodeJoined(providerA.author(), op, 1, 16_384)),
          providerB.sign(new NodeJoined(providerB.author(), op, 1, 16_384)),
          verifier.sign(new NodeJoined(verifier.author(), op, 2, 8_192)));
    }

    /**
     * A whole job: posted, placed on two shards, {@code tokens} streamed, committed, checked, paid.
     */
    public List<SignedEvent> job(long nonce, int tokens, boolean fraud) {
      List<SignedEvent> out = new ArrayList<>();
      SignedRequest req = postJob(domain, buyer, nonce);
      Bytes32 job = req.event().jobId();
      out.add(gateway.sign(req.event(), req.signature()));
      out.add(
          sequencer.sign(
              new ShardsAssigned(
                  job,
                  List.of(
                      new ShardAssignment(0, providerA.author(), 0, 4),
                      new ShardAssignment(1, providerB.author(), 4, 8)),
                  verifier.author())));
      for (int t = 0; t < tokens; t++) {
        out.add(providerB.sign(new TokenStreamed(job, t, 1000 + t)));
      }
      Bytes32 mid = h("boundary " + nonce);
      out.add(
          providerA.sign(
              new LayerCommitmentsGenerated(
                  job, 0, 0, 4, tokens, h("a" + nonce), h("in" + nonce), mid)));
      out.add(
          providerB.sign(
              new LayerCommitmentsGenerated(
                  job, 1, 4, 8, tokens, h("b" + nonce), mid, h("out" + nonce))));
      out.add(verifier.sign(new VerificationPassed(job, 0, List.of(new Sample(0, 1)))));
      if (fraud) {
        out.add(
            verifier.sign(
                new FraudDetected(
                    job,
                    1,
                    providerB.author(),
                    List.of(new SampleVerdict(new Sample(1, 5), false, 500_000)),
                    h("evidence " + nonce))));
      } else {
        out.add(verifier.sign(new VerificationPassed(job, 1, List.of(new Sample(1, 6)))));
      }
      out.add(
          sequencer.sign(
              new JobSettled(
                  job,
                  List.of(
                      new Payout(
                          address(TestEvents.buyer("operator")),
                          BigInteger.valueOf(1000L * tokens))),
                  BigInteger.valueOf(5))));
      return out;
    }
  }
}
