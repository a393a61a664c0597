package io.layerproof.chain.ledger.anchor;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.contracts.generated.LedgerAnchor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * LedgerAnchor through the typed client. Nonces: the client's {@code RawTransactionManager} asks
 * the node for the account's pending transaction count before every transaction and keeps none
 * locally, so after a "nonce too low" (another sender on the same key) the retry simply signs with
 * a fresh nonce: the resync is built in.
 */
public final class ContractAnchorChain implements AnchorChain {

  private static final String BATCH_ANCHORED_TOPIC =
      EventEncoder.encode(LedgerAnchor.BATCHANCHORED_EVENT);

  private final LayerproofContracts contracts;

  public ContractAnchorChain(LayerproofContracts contracts) {
    this.contracts = contracts;
  }

  @Override
  public AnchorReceipt anchor(long batchIndex, Bytes32 root, long eventCount, Bytes32 prevRoot) {
    TransactionReceipt r =
        send(
            contracts
                .anchor()
                .anchor(
                    BigInteger.valueOf(batchIndex),
                    root.toByteArray(),
                    BigInteger.valueOf(eventCount),
                    prevRoot.toByteArray()));
    return new AnchorReceipt(
        Bytes32.fromHex(r.getTransactionHash()),
        r.getBlockNumber().longValueExact(),
        r.getGasUsed().longValueExact());
  }

  @Override
  public Bytes32 rootOf(long batchIndex) {
    return Bytes32.of(send(contracts.anchor().rootOf(BigInteger.valueOf(batchIndex))));
  }

  @Override
  public Optional<AnchorReceipt> findAnchorTransaction(long batchIndex) {
    return findLog(batchIndex)
        .map(
            log -> {
              try {
                TransactionReceipt r =
                    contracts
                        .web3j()
                        .ethGetTransactionReceipt(log.getTransactionHash())
                        .send()
                        .getTransactionReceipt()
                        .orElseThrow(
                            () ->
                                new IllegalStateException(
                                    "no receipt for " + log.getTransactionHash()));
                return new AnchorReceipt(
                    Bytes32.fromHex(r.getTransactionHash()),
                    r.getBlockNumber().longValueExact(),
                    r.getGasUsed().longValueExact());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  @Override
  public Optional<OnChainBatch> findAnchoredBatch(long batchIndex) {
    return findLog(batchIndex)
        .map(
            log -> {
              LedgerAnchor.BatchAnchoredEventResponse e =
                  LedgerAnchor.getBatchAnchoredEventFromLog(log);
              return new OnChainBatch(
                  e.batchIndex.longValueExact(),
                  Bytes32.of(e.root),
                  e.eventCount.longValueExact(),
                  Bytes32.of(e.prevRoot));
            });
  }

  private Optional<Log> findLog(long batchIndex) {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameterName.EARLIEST,
            DefaultBlockParameterName.LATEST,
            contracts.addresses().anchor());
    filter.addSingleTopic(BATCH_ANCHORED_TOPIC);
    filter.addSingleTopic(
        Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(batchIndex), 64));
    try {
      EthLog logs = contracts.web3j().ethGetLogs(filter).send();
      if (logs.hasError()) {
        throw new IllegalStateException("eth_getLogs: " + logs.getError().getMessage());
      }
      List<EthLog.LogResult> results = logs.getLogs();
      return results.isEmpty() ? Optional.empty() : Optional.of((Log) results.get(0).get());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
