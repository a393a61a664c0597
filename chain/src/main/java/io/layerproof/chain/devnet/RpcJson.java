package io.layerproof.chain.devnet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/** geth's JSON shapes for blocks, transactions, receipts and logs. */
final class RpcJson {

  private RpcJson() {}

  private static ObjectNode object() {
    return RpcDispatcher.NODES.objectNode();
  }

  static ObjectNode block(Block b, boolean fullTransactions, Function<String, StoredTx> txs) {
    ObjectNode o = object();
    o.put("number", Hex.quantity(b.number()));
    o.put("hash", b.hash());
    o.put("parentHash", b.parentHash());
    o.put("nonce", "0x0000000000000000");
    o.put("mixHash", b.mixHash());
    o.put("sha3Uncles", BlockAssembler.EMPTY_UNCLES_HASH);
    o.put("logsBloom", Hex.data(b.logsBloom()));
    o.put("transactionsRoot", b.transactionsRoot());
    o.put("stateRoot", b.stateRoot());
    o.put("receiptsRoot", b.receiptsRoot());
    o.put("miner", b.miner());
    o.put("difficulty", "0x0");
    o.put("totalDifficulty", "0x0");
    o.put("extraData", "0x");
    o.put("size", Hex.quantity(b.size()));
    o.put("gasLimit", Hex.quantity(b.gasLimit()));
    o.put("gasUsed", Hex.quantity(b.gasUsed()));
    o.put("timestamp", Hex.quantity(b.timestamp()));
    o.put("baseFeePerGas", Hex.quantity(b.baseFeePerGas()));
    o.put("withdrawalsRoot", BlockAssembler.EMPTY_TRIE_ROOT);
    o.set("withdrawals", RpcDispatcher.NODES.arrayNode());
    o.set("uncles", RpcDispatcher.NODES.arrayNode());
    ArrayNode list = o.putArray("transactions");
    for (String h : b.transactions()) {
      if (fullTransactions) {
        StoredTx tx = txs.apply(h);
        list.add(tx == null ? NullNode.instance : transaction(tx));
      } else {
        list.add(h);
      }
    }
    return o;
  }

  static ObjectNode transaction(StoredTx stored) {
    SignedTx tx = stored.decode();
    TxReceipt r = stored.receipt();
    ObjectNode o = object();
    o.put("blockHash", r.blockHash());
    o.put("blockNumber", Hex.quantity(r.blockNumber()));
    o.put("transactionIndex", Hex.quantity(r.transactionIndex()));
    o.put("hash", tx.hash());
    o.put("type", Hex.quantity(tx.type()));
    o.put("from", tx.from());
    if (tx.to() == null) {
      o.putNull("to");
    } else {
      o.put("to", tx.to());
    }
    o.put("nonce", Hex.quantity(tx.nonce()));
    o.put("gas", Hex.quantity(tx.gasLimit()));
    // For a mined dynamic-fee transaction geth reports the price actually paid.
    o.put("gasPrice", Hex.quantity(r.effectiveGasPrice()));
    if (tx.type() == 2) {
      o.put("maxFeePerGas", Hex.quantity(tx.maxFeePerGas()));
      o.put("maxPriorityFeePerGas", Hex.quantity(tx.maxPriorityFeePerGas()));
    }
    o.put("value", Hex.quantity(tx.value()));
    o.put("input", Hex.data(tx.data()));
    o.put("chainId", Hex.quantity(tx.chainId()));
    if (tx.type() != 0) {
      ArrayNode al = o.putArray("accessList");
      for (SignedTx.AccessEntry e : tx.accessList()) {
        ObjectNode entry = al.addObject();
        entry.put("address", e.address());
        ArrayNode keys = entry.putArray("storageKeys");
        e.storageKeys().forEach(keys::add);
      }
      o.put("yParity", Hex.quantity(tx.v()));
    }
    o.put("v", Hex.quantity(tx.v()));
    o.put("r", Hex.quantity(tx.r()));
    o.put("s", Hex.quantity(tx.s()));
    return o;
  }

  static ObjectNode receipt(TxReceipt r) {
    ObjectNode o = object();
    o.put("transactionHash", r.transactionHash());
    o.put("transactionIndex", Hex.quantity(r.transactionIndex()));
    o.put("blockHash", r.blockHash());
    o.put("blockNumber", Hex.quantity(r.blockNumber()));
    o.put("from", r.from());
    if (r.to() == null) {
      o.putNull("to");
    } else {
      o.put("to", r.to());
    }
    o.put("cumulativeGasUsed", Hex.quantity(r.cumulativeGasUsed()));
    o.put("gasUsed", Hex.quantity(r.gasUsed()));
    o.put("effectiveGasPrice", Hex.quantity(r.effectiveGasPrice()));
    if (r.contractAddress() == null) {
      o.putNull("contractAddress");
    } else {
      o.put("contractAddress", r.contractAddress());
    }
    ArrayNode logs = o.putArray("logs");
    for (int i = 0; i < r.logs().size(); i++) {
      logs.add(log(r.logs().get(i), r, r.firstLogIndex() + i));
    }
    o.put("logsBloom", Hex.data(r.logsBloom()));
    o.put("type", Hex.quantity(r.type()));
    o.put("status", r.status() ? "0x1" : "0x0");
    return o;
  }

  static ObjectNode log(LogEntry l, TxReceipt r, int logIndex) {
    ObjectNode o = object();
    o.put("address", l.address());
    ArrayNode topics = o.putArray("topics");
    l.topics().forEach(topics::add);
    o.put("data", Hex.data(l.data()));
    o.put("blockNumber", Hex.quantity(r.blockNumber()));
    o.put("transactionHash", r.transactionHash());
    o.put("transactionIndex", Hex.quantity(r.transactionIndex()));
    o.put("blockHash", r.blockHash());
    o.put("logIndex", Hex.quantity(logIndex));
    o.put("removed", false);
    return o;
  }
}
