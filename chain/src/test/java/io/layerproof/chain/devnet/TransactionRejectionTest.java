package io.layerproof.chain.devnet;

import static io.layerproof.chain.devnet.DevnetFixture.ETHER;
import static io.layerproof.chain.devnet.DevnetFixture.GWEI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.devnet.DevnetFixture.Transport;
import java.math.BigInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.utils.Numeric;

/**
 * Every way a transaction is refused: the geth error text with code -32000, and nothing changes (no
 * block, no nonce, no balance moved). Each case runs in-process and over HTTP.
 */
class TransactionRejectionTest {

  private static final String BOB = "0x00000000000000000000000000000000000b0b01";

  /** A named way to build a bad transaction, and the start of the error it must cause. */
  record Case(String name, Function<DevnetFixture, String> signedTx, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    Case[] cases = {
      new Case(
          "nonce too low",
          f -> {
            f.mined(f.tx1559(f.alice, BOB, BigInteger.ONE, "0x", 21_000), f.alice);
            return f.sign(
                RawTransaction.createEtherTransaction(
                    f.chainId(),
                    BigInteger.ZERO,
                    BigInteger.valueOf(21_000),
                    BOB,
                    BigInteger.ONE,
                    GWEI,
                    GWEI.multiply(BigInteger.TWO)),
                f.alice);
          },
          "nonce too low: address " + "%ALICE%" + ", tx: 0 state: 1"),
      new Case(
          "nonce too high",
          f ->
              f.sign(
                  RawTransaction.createEtherTransaction(
                      f.chainId(),
                      BigInteger.valueOf(5),
                      BigInteger.valueOf(21_000),
                      BOB,
                      BigInteger.ONE,
                      GWEI,
                      GWEI.multiply(BigInteger.TWO)),
                  f.alice),
          "nonce too high: address %ALICE%, tx: 5 state: 0"),
      new Case(
          "insufficient funds",
          f ->
              f.sign(
                  RawTransaction.createEtherTransaction(
                      f.chainId(),
                      BigInteger.ZERO,
                      BigInteger.valueOf(21_000),
                      BOB,
                      ETHER.multiply(BigInteger.valueOf(100)),
                      GWEI,
                      GWEI.multiply(BigInteger.TWO)),
                  f.alice),
          "insufficient funds for gas * price + value: address %ALICE% have 100000000000000000000 want 100000042000000000000"),
      new Case(
          "intrinsic gas too low",
          f ->
              f.sign(
                  RawTransaction.createTransaction(
                      f.chainId(),
                      BigInteger.ZERO,
                      BigInteger.valueOf(21_010),
                      BOB,
                      BigInteger.ZERO,
                      "0x0001",
                      GWEI,
                      GWEI.multiply(BigInteger.TWO)),
                  f.alice),
          "intrinsic gas too low: have 21010, want 21020"),
      new Case(
          "intrinsic gas of a create",
          f ->
              f.sign(
                  RawTransaction.createTransaction(
                      f.chainId(),
                      BigInteger.ZERO,
                      BigInteger.valueOf(53_000),
                      null,
                      BigInteger.ZERO,
                      "0x00",
                      GWEI,
                      GWEI.multiply(BigInteger.TWO)),
                  f.alice),
          "intrinsic gas too low: have 53000, want 53006"),
      new Case(
          "above block gas limit",
          f ->
              f.sign(
                  RawTransaction.createEtherTransaction(
                      f.chainId(),
                      BigInteger.ZERO,
                      BigInteger.valueOf(30_000_001),
                      BOB,
                      BigInteger.ONE,
                      GWEI,
                      GWEI.multiply(BigInteger.TWO)),
                  f.alice),
          "exceeds block gas limit"),
      new Case(
          "fee cap below base fee",
          f ->
              f.sign(
                  RawTransaction.createEtherTransaction(
                      f.chainId(),
                      BigInteger.ZERO,
                      BigInteger.valueOf(21_000),
                      BOB,
                      BigInteger.ONE,
                      BigInteger.ZERO,
                      GWEI.subtract(BigInteger.ONE)),
                  f.alice),
          "max fee per gas less than block base fee: address %ALICE%, maxFeePerGas: 999999999, baseFee: 1000000000"),
      new Case(
          "legacy gas price below base fee",
          f ->
              f.sign(
                  RawTransaction.createEtherTransaction(
                      BigInteger.ZERO,
                      BigInteger.TEN,
                      BigInteger.valueOf(21_000),
                      BOB,
                      BigInteger.ONE),
                  f.alice),
          "max fee per gas less than block base fee"),
      new Case(
          "tip above fee cap",
          f ->
              f.sign(
                  RawTransaction.createEtherTransaction(
                      f.chainId(),
                      BigInteger.ZERO,
                      BigInteger.valueOf(21_000),
                      BOB,
                      BigInteger.ONE,
                      GWEI.multiply(BigInteger.TEN),
                      GWEI.multiply(BigInteger.TWO)),
                  f.alice),
          "max priority fee per gas higher than max fee per gas"),
      new Case(
          "wrong chain id (1559)",
          f ->
              Numeric.toHexString(
                  TransactionEncoder.signMessage(
                      RawTransaction.createEtherTransaction(
                          1L,
                          BigInteger.ZERO,
                          BigInteger.valueOf(21_000),
                          BOB,
                          BigInteger.ONE,
                          GWEI,
                          GWEI.multiply(BigInteger.TWO)),
                      f.alice)),
          "invalid chain id for signer: have 1 want 1337"),
      new Case(
          "wrong chain id (legacy)",
          f ->
              Numeric.toHexString(
                  TransactionEncoder.signMessage(
                      RawTransaction.createEtherTransaction(
                          BigInteger.ZERO,
                          GWEI.multiply(BigInteger.TWO),
                          BigInteger.valueOf(21_000),
                          BOB,
                          BigInteger.ONE),
                      5L,
                      f.alice)),
          "invalid chain id for signer: have 5 want 1337"),
      new Case(
          "pre-EIP-155 legacy",
          f ->
              Numeric.toHexString(
                  TransactionEncoder.signMessage(
                      RawTransaction.createEtherTransaction(
                          BigInteger.ZERO,
                          GWEI.multiply(BigInteger.TWO),
                          BigInteger.valueOf(21_000),
                          BOB,
                          BigInteger.ONE),
                      f.alice)),
          "only replay-protected (EIP-155) transactions allowed over RPC"),
      new Case(
          "high-s signature",
          TransactionRejectionTest::highS,
          "invalid transaction v, r, s values"),
      new Case(
          "blob transaction type",
          f ->
              "0x03"
                  + Numeric.cleanHexPrefix(
                      Numeric.toHexString(RlpEncoder.encode(new RlpList(RlpString.create(1))))),
          "transaction type not supported"),
      new Case(
          "trailing garbage",
          f -> f.sign(f.tx1559(f.alice, BOB, BigInteger.ONE, "0x", 21_000), f.alice) + "00",
          "rlp: non-canonical encoding or trailing bytes"),
      new Case("empty input", f -> "0x", "typed transaction too short"),
    };
    return Stream.of(Transport.values())
        .flatMap(t -> Stream.of(cases).map(c -> Arguments.of(t, c)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void rejectedWithGethMessageAndNoStateChange(Transport transport, Case c) {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      String signed = c.signedTx().apply(f);
      long blockBefore = f.chain.blockNumber();
      BigInteger nonceBefore = f.nonce(f.alice.getAddress());
      BigInteger balanceBefore = f.balance(f.alice.getAddress());
      BigInteger bobBefore = f.balance(BOB);

      EthSendTransaction sent = f.sendRaw(signed);

      assertTrue(sent.hasError(), "accepted: " + c.name());
      assertEquals(-32000, sent.getError().getCode());
      String expected =
          c.expected()
              .replace("%ALICE%", org.web3j.crypto.Keys.toChecksumAddress(f.alice.getAddress()));
      assertTrue(
          sent.getError().getMessage().startsWith(expected),
          () -> "expected '" + expected + "' but got '" + sent.getError().getMessage() + "'");
      assertEquals(blockBefore, f.chain.blockNumber());
      assertEquals(nonceBefore, f.nonce(f.alice.getAddress()));
      assertEquals(balanceBefore, f.balance(f.alice.getAddress()));
      assertEquals(bobBefore, f.balance(BOB));
    }
  }

  /** A valid signature turned into its high-s twin (n - s, flipped parity), which EIP-2 forbids. */
  private static String highS(DevnetFixture f) {
    Credentials a = f.alice;
    RawTransaction tx =
        RawTransaction.createEtherTransaction(
            f.chainId(),
            BigInteger.ZERO,
            BigInteger.valueOf(21_000),
            BOB,
            BigInteger.ONE,
            GWEI,
            GWEI.multiply(BigInteger.TWO));
    Sign.SignatureData sig = Sign.signMessage(TransactionEncoder.encode(tx), a.getEcKeyPair());
    BigInteger n = Sign.CURVE_PARAMS.getN();
    BigInteger s = n.subtract(Numeric.toBigInt(sig.getS()));
    byte v = (byte) (sig.getV()[0] == 27 ? 28 : 27);
    Sign.SignatureData twin = new Sign.SignatureData(v, sig.getR(), Numeric.toBytesPadded(s, 32));
    return Numeric.toHexString(TransactionEncoder.encode(tx, twin));
  }
}
