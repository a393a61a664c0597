package io.layerproof.chain.devnet;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.web3j.protocol.Service;

/**
 * Web3j transport that calls the dispatcher directly: Web3j's own Service serialises requests and
 * parses responses with its ObjectMapper, exactly as over HTTP, but without a socket. Subscriptions
 * are unsupported (Service throws UnsupportedOperationException).
 */
final class InProcessWeb3jService extends Service {

  private final RpcDispatcher dispatcher;

  InProcessWeb3jService(RpcDispatcher dispatcher) {
    super(false);
    this.dispatcher = dispatcher;
  }

  @Override
  protected InputStream performIO(String payload) {
    String response = dispatcher.handle(payload);
    return new ByteArrayInputStream(
        (response == null ? "" : response).getBytes(StandardCharsets.UTF_8));
  }

  /** The chain owns the dispatcher; closing the service releases nothing. */
  @Override
  public void close() {}
}
