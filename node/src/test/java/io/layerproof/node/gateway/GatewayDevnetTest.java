package io.layerproof.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.node.devnet.Devnet;
import io.layerproof.node.devnet.DevnetOptions;
import io.layerproof.wallet.auth.GatewayVerifier;
import io.layerproof.wallet.client.LayerproofClient;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-chain escrow check over JobMarket.freeBalanceOf on the embedded devnet chain. */
class GatewayDevnetTest {

  @TempDir Path dir;

  @Test
  void onChainEscrowGatesSignedRequests() throws Exception {
    Clock clock = Clock.systemUTC();
    try (Devnet devnet =
        Devnet.start(new DevnetOptions(dir, "127.0.0.1", 0, 0, 1337, false), s -> {})) {
      LayerproofContracts view = devnet.contractsAs(devnet.operator());
      EscrowCheck escrow = EscrowCheck.onChain(view);
      EthAddress buyer = EthAddress.fromHex(devnet.buyer().address());
      BigInteger free = escrow.freeBalance(buyer);
      assertTrue(free.signum() > 0);
      assertEquals(
          LayerproofContracts.send(view.market().freeBalanceOf(devnet.buyer().address())), free);
      assertEquals(
          BigInteger.ZERO,
          escrow.freeBalance(EthAddress.fromHex("0x000000000000000000000000000000000000dEaD")));

      LedgerDomain domain =
          new LedgerDomain(devnet.chainId(), EthAddress.fromHex(devnet.contracts().market()));
      GatewayConfig config = GatewayConfig.defaults(GatewayTest.MODEL);
      try (LlamaModel model = LlamaModel.open(devnet.modelDir());
          PipelineBackend backend = new PipelineBackend(model);
          Gateway gateway =
              new Gateway(
                  null,
                  config,
                  new GatewayVerifier(domain, clock),
                  escrow,
                  NonceStore.inMemory(clock),
                  backend,
                  clock)) {
        URI base = URI.create("http://127.0.0.1:" + gateway.start("127.0.0.1", 0));
        LayerproofClient client =
            new LayerproofClient(devnet.buyer().wallet(), domain, base, clock);
        String body =
            "{\"model\":\""
                + GatewayTest.MODEL
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":4}";
        HttpResponse<String> ok = client.chat(body, config.quote(4), Duration.ofMinutes(5));
        assertEquals(200, ok.statusCode(), ok.body());
        HttpResponse<String> tooMuch =
            client.chat(body, free.add(BigInteger.ONE), Duration.ofMinutes(5));
        assertEquals(402, tooMuch.statusCode(), tooMuch.body());
        assertEquals(
            "insufficient_escrow",
            new ObjectMapper().readTree(tooMuch.body()).get("error").get("code").asText());
      }
    }
  }
}
