package io.layerproof.chain.devnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.devnet.DevnetFixture.Transport;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.AccessListObject;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

class SignedTxDecoderTest {

  private static final Credentials KEY = DevnetFixture.randomCredentials();
  private static final String TO = "0x00000000000000000000000000000000000b0b01";
  private static final String SLOT = "0x" + "00".repeat(31) + "07";

  @Test
  void decodesLegacyEip155AndRecoversTheSender() {
    RawTransaction raw =
        RawTransaction.createTransaction(
            BigInteger.valueOf(3),
            BigInteger.TEN,
            BigInteger.valueOf(50_000),
            TO,
            BigInteger.ONE,
            "0xabcd");
    byte[] signed = TransactionEncoder.signMessage(raw, 1337L, KEY);
    SignedTx tx = SignedTxDecoder.decode(signed);
    assertEquals(0, tx.type());
    assertEquals(1337, tx.chainId());
    assertEquals(3, tx.nonce());
    assertEquals(BigInteger.TEN, tx.maxFeePerGas());
    assertEquals(BigInteger.TEN, tx.maxPriorityFeePerGas());
    assertEquals(50_000, tx.gasLimit());
    assertEquals(TO, tx.to());
    assertArrayEquals(Numeric.hexStringToByteArray("0xabcd"), tx.data());
    assertEquals(KEY.getAddress(), tx.from());
    // EIP-155: v = chainId * 2 + 35 + parity.
    assertTrue(
        tx.v().equals(BigInteger.valueOf(2709)) || tx.v().equals(BigInteger.valueOf(2710)),
        tx.v().toString());
  }

  @Test
  void decodesDynamicFeeAndAccessListTransactions() {
    List<AccessListObject> al = List.of(new AccessListObject(TO, List.of(SLOT)));
    RawTransaction t2 =
        RawTransaction.createTransaction(
            1337L,
            BigInteger.ZERO,
            BigInteger.valueOf(60_000),
            null,
            BigInteger.ZERO,
            "0x6000",
            BigInteger.ONE,
            BigInteger.TWO,
            al);
    SignedTx d2 = SignedTxDecoder.decode(TransactionEncoder.signMessage(t2, KEY));
    assertEquals(2, d2.type());
    assertNull(d2.to());
    assertTrue(d2.isCreate());
    assertEquals(BigInteger.ONE, d2.maxPriorityFeePerGas());
    assertEquals(BigInteger.TWO, d2.maxFeePerGas());
    assertEquals(List.of(new SignedTx.AccessEntry(TO, List.of(SLOT))), d2.accessList());
    assertEquals(KEY.getAddress(), d2.from());

    RawTransaction t1 =
        RawTransaction.createTransaction(
            1337L,
            BigInteger.ONE,
            BigInteger.valueOf(5),
            BigInteger.valueOf(30_000),
            TO,
            BigInteger.ZERO,
            "0x",
            al);
    SignedTx d1 = SignedTxDecoder.decode(TransactionEncoder.signMessage(t1, KEY));
    assertEquals(1, d1.type());
    assertEquals(BigInteger.valueOf(5), d1.maxFeePerGas());
    assertEquals(KEY.getAddress(), d1.from());
    // The same bytes with a known sender skip recovery but decode identically.
    assertEquals(d1.hash(), SignedTxDecoder.decode(d1.raw(), d1.from()).hash());
  }

  @Test
  void nonCanonicalIntegersAreRejected() {
    // A legacy list whose nonce is written as 0x00 instead of the empty string.
    byte[] bad = Numeric.hexStringToByteArray("0xc9008080808080808080");
    RpcException e = assertThrows(RpcException.class, () -> SignedTxDecoder.decode(bad));
    assertTrue(e.getMessage().contains("non-canonical integer"), e.getMessage());
  }

  @Test
  void accessListGasIsChargedAndTheTransactionMined() throws Exception {
    try (DevnetFixture f = DevnetFixture.start(Transport.IN_PROCESS)) {
      List<AccessListObject> al = List.of(new AccessListObject(TO, List.of(SLOT)));
      RawTransaction t1 =
          RawTransaction.createTransaction(
              f.chainId(),
              BigInteger.ZERO,
              DevnetFixture.GWEI.multiply(BigInteger.TWO),
              BigInteger.valueOf(30_000),
              TO,
              BigInteger.ONE,
              "0x",
              al);
      TransactionReceipt r = f.mined(t1, f.alice);
      assertTrue(r.isStatusOK());
      assertEquals("0x1", r.getType());
      assertEquals(BigInteger.valueOf(21_000 + 2_400 + 1_900), r.getGasUsed());
      assertEquals(
          "intrinsic gas too low: have 25299, want 25300",
          f.sendRaw(
                  f.sign(
                      RawTransaction.createTransaction(
                          f.chainId(),
                          BigInteger.ONE,
                          DevnetFixture.GWEI.multiply(BigInteger.TWO),
                          BigInteger.valueOf(25_299),
                          TO,
                          BigInteger.ONE,
                          "0x",
                          al),
                      f.alice))
              .getError()
              .getMessage());
    }
  }
}
