package io.layerproof.verifier.verdict;

import static io.layerproof.chain.contracts.LayerproofContracts.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.layerproof.chain.contracts.ContractAddresses;
import io.layerproof.chain.contracts.DeployParams;
import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.devnet.DevnetGenesis;
import io.layerproof.chain.devnet.EmbeddedChain;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.NodeKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;

/**
 * The digest a verifier signs is the one the deployed JobMarket computes: {@code
 * hashFraudVerdict(jobId, shardIndex, evidenceHash)} on the embedded chain, in the market's own
 * EIP-712 domain (chain id and address).
 */
class FraudVerdictOnChainTest {

  @Test
  void theVerdictDigestIsTheContractsAndTheSignatureRecoversToTheVerifier() throws Exception {
    Credentials deployer = Credentials.create(Keys.createEcKeyPair());
    DevnetGenesis genesis =
        DevnetGenesis.defaults()
            .withAlloc(deployer.getAddress(), BigInteger.TEN.pow(18).multiply(BigInteger.TEN));
    try (EmbeddedChain chain = EmbeddedChain.inMemory(genesis)) {
      Web3j web3j = Web3j.build(chain.web3jService());
      try {
        ContractAddresses addresses =
            LayerproofContracts.deploy(
                web3j, chain.chainId(), deployer, DeployParams.defaults(deployer.getAddress()));
        var market = LayerproofContracts.load(web3j, chain.chainId(), deployer, addresses).market();
        LedgerDomain domain = LedgerDomain.of(chain.chainId(), addresses.market());
        Credentials wallet = Credentials.create(Keys.createEcKeyPair());
        VerdictSigner signer =
            new VerdictSigner(new EventSigner(NodeKey.generate(), domain, 0), wallet, domain);
        Bytes32 job = Bytes32.keccak("job on chain".getBytes(StandardCharsets.UTF_8));
        Bytes32 evidence = Bytes32.keccak("evidence".getBytes(StandardCharsets.UTF_8));
        for (int shard : new int[] {0, 3}) {
          byte[] onChain =
              send(
                  market.hashFraudVerdict(
                      job.toByteArray(), BigInteger.valueOf(shard), evidence.toByteArray()));
          byte[] ours = signer.fraudVerdictDigest(job, shard, evidence);
          assertArrayEquals(onChain, ours, "shard " + shard);
          assertEquals(
              wallet.getAddress(),
              JobMarketEip712.recover(onChain, signer.signFraudVerdict(job, shard, evidence)));
        }
      } finally {
        web3j.shutdown();
      }
    }
  }
}
