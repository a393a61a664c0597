package io.layerproof.wallet;

import io.layerproof.chain.event.LedgerDomain;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** Test keys derived from fixed seeds (never stored), and a fixed deployment and clock. */
public final class TestKeys {

  /** The devnet's JobMarket address from the README, and its chain id. */
  public static final LedgerDomain DEPLOYMENT =
      LedgerDomain.of(1337, "0x72E136710BAC73e9e18b09dCa780C303804E71B6");

  /** 2030-01-01T00:00:00Z. */
  public static final long NOW = 1_893_456_000L;

  private TestKeys() {}

  /** keccak256("layerproof-wallet-test/" + seed) as a private key. */
  public static Credentials credentials(String seed) {
    return Credentials.create(ECKeyPair.create(privateKey(seed)));
  }

  public static byte[] privateKey(String seed) {
    return Hash.sha3(("layerproof-wallet-test/" + seed).getBytes(StandardCharsets.UTF_8));
  }

  public static String privateKeyHex(String seed) {
    return Numeric.toHexString(privateKey(seed));
  }

  public static Clock clockAt(long epochSecond) {
    return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
  }
}
