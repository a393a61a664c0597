package io.layerproof.chain.contracts;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.RawTransactionManager;

/**
 * Signs locally with a chain id (EIP-155 legacy transactions, which both the embedded devnet and
 * any Ethereum node accept), estimates every transaction's gas instead of Web3j's fixed 9M, polls
 * for receipts with a short backoff (1 ms doubling up to {@link TxSettings#pollInterval()}), and
 * turns every revert into a {@link ContractRevertException} naming the decoded custom error: at
 * estimation (the usual case), or from a mined receipt with status 0 by replaying the call at that
 * block.
 *
 * <p>Nonces come from the node's pending count, so one account should not send from two threads.
 */
public class LayerproofTransactionManager extends RawTransactionManager {

  private static final Pattern HEX_DATA = Pattern.compile("\"data\"\\s*:\\s*\"(0x[0-9a-fA-F]*)\"");

  private final Web3j web3j;
  private final TxSettings settings;

  public LayerproofTransactionManager(
      Web3j web3j, Credentials credentials, long chainId, TxSettings settings) {
    super(
        web3j,
        credentials,
        chainId,
        new BackoffReceiptProcessor(web3j, settings.pollInterval(), settings.receiptTimeout()));
    this.web3j = web3j;
    this.settings = settings;
  }

  /** {@code gasLimit} is only a cap here: the limit sent is the estimate plus the margin. */
  @Override
  protected TransactionReceipt executeTransaction(
      BigInteger gasPrice,
      BigInteger gasLimit,
      String to,
      String data,
      BigInteger value,
      boolean constructor)
      throws IOException, TransactionException {
    String target = (constructor || to == null || to.isEmpty()) ? null : to;
    BigInteger estimate = estimateGas(target, data, value);
    BigInteger limit =
        estimate.multiply(BigInteger.valueOf(100L + settings.gasMarginPercent())).divide(HUNDRED);
    BigInteger cap = gasLimit == null ? settings.gasCap() : gasLimit.min(settings.gasCap());
    if (estimate.compareTo(cap) > 0) {
      throw new IllegalStateException("estimated gas " + estimate + " exceeds the cap " + cap);
    }
    limit = limit.min(cap);
    EthSendTransaction sent = sendTransaction(gasPrice, limit, target, data, value, constructor);
    if (sent.hasError()) {
      String revertData = revertDataOf(sent.getError());
      if (revertData != null) {
        throw revert("send", revertData, sent.getError().getMessage(), null);
      }
    }
    TransactionReceipt receipt = processResponse(sent);
    if (!receipt.isStatusOK()) {
      throw minedRevert(receipt, target, data, value, limit);
    }
    return receipt;
  }

  /** eth_call that decodes custom errors instead of Web3j's generic "reverted" message. */
  @Override
  public String sendCall(String to, String data, DefaultBlockParameter block) throws IOException {
    EthCall call =
        web3j
            .ethCall(Transaction.createEthCallTransaction(getFromAddress(), to, data), block)
            .send();
    if (call.hasError()) {
      throw revert("call", revertDataOf(call.getError()), call.getError().getMessage(), null);
    }
    if (call.isReverted()) { // some nodes put Error(string) data into the result
      throw revert("call", call.getValue(), null, null);
    }
    return call.getValue();
  }

  /** eth_estimateGas for this account; a revert here becomes a {@link ContractRevertException}. */
  public BigInteger estimateGas(String to, String data, BigInteger value) throws IOException {
    EthEstimateGas estimate =
        web3j
            .ethEstimateGas(new Transaction(getFromAddress(), null, null, null, to, value, data))
            .send();
    if (estimate.hasError()) {
      String revertData = revertDataOf(estimate.getError());
      if (revertData != null || isRevertMessage(estimate.getError().getMessage())) {
        throw revert("estimateGas", revertData, estimate.getError().getMessage(), null);
      }
      throw new IOException("eth_estimateGas: " + estimate.getError().getMessage());
    }
    return estimate.getAmountUsed();
  }

  private ContractRevertException minedRevert(
      TransactionReceipt receipt, String to, String data, BigInteger value, BigInteger limit)
      throws IOException {
    String hash = receipt.getTransactionHash();
    if (receipt.getGasUsed() != null && receipt.getGasUsed().compareTo(limit) >= 0) {
      return new ContractRevertException(
          "transaction " + hash + " ran out of gas (limit " + limit + ")",
          "OutOfGas",
          "",
          List.of(),
          "",
          hash);
    }
    // Replay at the block it was mined in to recover the revert data.
    EthCall replay =
        web3j
            .ethCall(
                new Transaction(getFromAddress(), null, null, null, to, value, data),
                DefaultBlockParameter.valueOf(receipt.getBlockNumber()))
            .send();
    String revertData = replay.hasError() ? revertDataOf(replay.getError()) : replay.getValue();
    String message = replay.hasError() ? replay.getError().getMessage() : null;
    return revert("transaction " + hash, revertData, message, hash);
  }

  private static ContractRevertException revert(
      String where, String revertData, String nodeMessage, String txHash) {
    RevertDecoder.Decoded decoded = RevertDecoder.instance().decode(revertData);
    String data = revertData == null ? "" : revertData;
    if (decoded != null) {
      return new ContractRevertException(
          where + " reverted: " + decoded,
          decoded.name(),
          decoded.signature(),
          decoded.args(),
          data,
          txHash);
    }
    String detail = nodeMessage != null ? nodeMessage : (data.isEmpty() ? "no revert data" : data);
    return new ContractRevertException(
        where + " reverted: " + detail, "", "", List.of(), data, txHash);
  }

  /** Revert data of a JSON-RPC error: a hex string (geth, anvil) or inside a JSON object. */
  static String revertDataOf(Response.Error error) {
    if (error == null || error.getData() == null) {
      return null;
    }
    String raw = error.getData().trim();
    if (raw.startsWith("\"") && raw.endsWith("\"") && raw.length() >= 2) {
      raw = raw.substring(1, raw.length() - 1);
    }
    if (raw.matches("0x[0-9a-fA-F]*")) {
      return raw;
    }
    Matcher m = HEX_DATA.matcher(raw);
    return m.find() ? m.group(1) : null;
  }

  private static boolean isRevertMessage(String message) {
    return message != null && message.toLowerCase().contains("revert");
  }

  private static final BigInteger HUNDRED = BigInteger.valueOf(100);
}
