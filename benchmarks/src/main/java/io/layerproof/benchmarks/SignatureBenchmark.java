package io.layerproof.benchmarks;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.event.TestEvents;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.web3j.crypto.Credentials;

/**
 * Why the envelope uses Bouncy Castle's Ed25519: it against the JDK's built-in EdDSA on the same
 * 49-byte signing message, and the buyer's secp256k1 signature recovery (Web3j) for scale. One
 * thread; operations per second per core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class SignatureBenchmark {

  private byte[] message;
  private byte[] seed;
  private byte[] publicKey;
  private Ed25519.PublicPoint point;
  private byte[] bcSignature;
  private PublicKey jdkPublic;
  private byte[] jdkSignature;
  private byte[] digest;
  private byte[] ecdsaSignature;

  @Setup
  public void setup() throws Exception {
    message = new byte[49]; // "layerproof-event:" || keccak256(body)
    new java.util.Random(1).nextBytes(message);
    seed = TestEvents.h("bench seed").toByteArray();
    publicKey = new byte[32];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    point = Ed25519.validatePublicKeyFullExport(publicKey, 0);
    bcSignature = new byte[64];
    Ed25519.sign(seed, 0, message, 0, message.length, bcSignature, 0);

    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    jdkPublic = pair.getPublic();
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(pair.getPrivate());
    s.update(message);
    jdkSignature = s.sign();

    Credentials buyer = TestEvents.buyer("bench buyer");
    digest = TestEvents.h("a job request digest").toByteArray();
    ecdsaSignature = JobMarketEip712.sign(digest, buyer);
  }

  @Benchmark
  public boolean ed25519VerifyBouncyCastle() {
    return Ed25519.verify(bcSignature, 0, publicKey, 0, message, 0, message.length);
  }

  /** What the ledger does: the author's decoded key point is cached. */
  @Benchmark
  public boolean ed25519VerifyBouncyCastleCachedKey() {
    return Ed25519.verify(bcSignature, 0, point, message, 0, message.length);
  }

  @Benchmark
  public boolean ed25519VerifyJdk() throws Exception {
    Signature v = Signature.getInstance("Ed25519");
    v.initVerify(jdkPublic);
    v.update(message);
    return v.verify(jdkSignature);
  }

  @Benchmark
  public byte[] ed25519SignBouncyCastle() {
    byte[] sig = new byte[64];
    Ed25519.sign(seed, 0, message, 0, message.length, sig, 0);
    return sig;
  }

  @Benchmark
  public String secp256k1RecoverWeb3j() throws Exception {
    return JobMarketEip712.recover(digest, ecdsaSignature);
  }
}
