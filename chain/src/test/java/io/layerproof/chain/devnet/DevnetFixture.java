package io.layerproof.chain.devnet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A chain under test reached through Web3j, either in-process or over HTTP, with a funded random
 * account and helpers for signing, sending and the DevnetProbe test contract.
 */
final class DevnetFixture implements AutoCloseable {

  enum Transport {
    IN_PROCESS,
    HTTP
  }

  static final BigInteger ETHER = BigInteger.TEN.pow(18);
  static final BigInteger GWEI = BigInteger.TEN.pow(9);
  static final String COINBASE = "0x00000000000000000000000000000000c0ffee01";

  final EmbeddedChain chain;
  final JsonRpcServer server;
  final org.web3j.protocol.Web3jService service;
  final Web3j web3j;
  final Credentials alice;

  private DevnetFixture(
      EmbeddedChain chain,
      JsonRpcServer server,
      org.web3j.protocol.Web3jService service,
      Credentials alice) {
    this.chain = chain;
    this.server = server;
    this.service = service;
    this.web3j = Web3j.build(service);
    this.alice = alice;
  }

  static Credentials randomCredentials() {
    try {
      return Credentials.create(Keys.createEcKeyPair());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Genesis with a custom coinbase (so tips are visible) and 100 ether for {@code alice}. */
  static DevnetGenesis genesisFor(Credentials alice) {
    return DevnetGenesis.defaults()
        .withCoinbase(COINBASE)
        .withAlloc(alice.getAddress(), ETHER.multiply(BigInteger.valueOf(100)));
  }

  static DevnetFixture start(Transport transport) {
    Credentials alice = randomCredentials();
    return attach(EmbeddedChain.inMemory(genesisFor(alice)), transport, alice);
  }

  static DevnetFixture attach(EmbeddedChain chain, Transport transport, Credentials alice) {
    if (transport == Transport.HTTP) {
      JsonRpcServer server = JsonRpcServer.start(chain, "127.0.0.1", 0);
      return new DevnetFixture(chain, server, new HttpService(server.url()), alice);
    }
    return new DevnetFixture(chain, null, chain.web3jService(), alice);
  }

  // ---------------------------------------------------------------- signing and sending

  long chainId() {
    return chain.chainId();
  }

  BigInteger nonce(String address) {
    try {
      return web3j
          .ethGetTransactionCount(address, DefaultBlockParameterName.PENDING)
          .send()
          .getTransactionCount();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  BigInteger balance(String address) {
    try {
      return web3j.ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String sign(RawTransaction tx, Credentials who) {
    // Typed transactions carry their chain id; only legacy ones take it from the signer.
    byte[] signed =
        tx.getType().isLegacy()
            ? TransactionEncoder.signMessage(tx, chainId(), who)
            : TransactionEncoder.signMessage(tx, who);
    return Numeric.toHexString(signed);
  }

  /** A 1559 transaction paying at most 2 gwei with a 1 gwei tip. */
  RawTransaction tx1559(Credentials from, String to, BigInteger value, String data, long gas) {
    return RawTransaction.createTransaction(
        chainId(),
        nonce(from.getAddress()),
        BigInteger.valueOf(gas),
        to,
        value,
        data,
        GWEI,
        GWEI.multiply(BigInteger.TWO));
  }

  EthSendTransaction sendRaw(String signedHex) {
    try {
      return web3j.ethSendRawTransaction(signedHex).send();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends and returns the receipt, which automine makes available at once. */
  TransactionReceipt mined(RawTransaction tx, Credentials from) {
    EthSendTransaction sent = sendRaw(sign(tx, from));
    assertFalse(sent.hasError(), () -> "send failed: " + sent.getError().getMessage());
    return receipt(sent.getTransactionHash());
  }

  TransactionReceipt receipt(String hash) {
    try {
      TransactionReceipt r =
          web3j.ethGetTransactionReceipt(hash).send().getTransactionReceipt().orElse(null);
      assertNotNull(r, "no receipt for " + hash);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A raw JSON-RPC call whose result stays parsed JSON. */
  Response<Object> rpc(String method, Object... params) {
    try {
      return new Request<>(method, Arrays.asList(params), service, RawResponse.class).send();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Object rpcResult(String method, Object... params) {
    Response<Object> r = rpc(method, params);
    assertFalse(r.hasError(), () -> method + ": " + r.getError().getMessage());
    return r.getResult();
  }

  static final class RawResponse extends Response<Object> {}

  // ---------------------------------------------------------------- the probe contract

  static String probeBytecode() {
    return "0x" + resource("/devnet/DevnetProbe.bin").trim();
  }

  static String resource(String path) {
    try (InputStream in = DevnetFixture.class.getResourceAsStream(path)) {
      assertNotNull(in, "missing test resource " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deployment data: bytecode followed by the ABI-encoded constructor argument. */
  static String probeDeployData(boolean fail) {
    return probeBytecode() + FunctionEncoder.encodeConstructor(List.of(new Bool(fail)));
  }

  static String encode(String name, long... args) {
    List<Type> in = new java.util.ArrayList<>();
    for (long a : args) {
      in.add(new Uint256(a));
    }
    return FunctionEncoder.encode(new Function(name, in, List.<TypeReference<?>>of()));
  }

  /** Deploys DevnetProbe from alice and returns its address. */
  String deployProbe() {
    TransactionReceipt r =
        mined(tx1559(alice, null, BigInteger.ZERO, probeDeployData(false), 1_000_000), alice);
    assertTrue(r.isStatusOK(), "deploy failed");
    assertNotNull(r.getContractAddress());
    return r.getContractAddress();
  }

  /** eth_call from alice at latest; returns the raw hex or the error response. */
  org.web3j.protocol.core.methods.response.EthCall call(String to, String data) {
    try {
      return web3j
          .ethCall(
              Transaction.createEthCallTransaction(alice.getAddress(), to, data),
              DefaultBlockParameterName.LATEST)
          .send();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  BigInteger callUint(String to, String data) {
    org.web3j.protocol.core.methods.response.EthCall c = call(to, data);
    assertFalse(c.hasError(), () -> "call failed: " + c.getError().getMessage());
    return Numeric.toBigInt(c.getValue());
  }

  @Override
  public void close() {
    web3j.shutdown();
    if (server != null) {
      server.close();
    }
    chain.close();
  }
}
