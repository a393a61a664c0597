package io.layerproof.chain.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.web3j.crypto.Hash;

/** The standard eth_/net_/web3_ methods that Web3j, ethers v6 and cast use. */
final class EthRpcMethods {

  static final String CLIENT_VERSION = "layerproof-devnet/0.1.0";

  /** What eth_maxPriorityFeePerGas suggests (geth's dev default). */
  static final BigInteger SUGGESTED_TIP = BigInteger.valueOf(1_000_000_000L);

  /** eth_getLogs limits, so one query cannot pin the node. */
  static final long MAX_LOG_BLOCK_RANGE = 100_000;

  static final int MAX_LOG_RESULTS = 10_000;
  static final int MAX_FEE_HISTORY_BLOCKS = 1024;

  /** Block tags latest / pending / safe / finalized: the current head and state. */
  private static final long LATEST = -1;

  private final EmbeddedChain chain;

  private EthRpcMethods(EmbeddedChain chain) {
    this.chain = chain;
  }

  static Map<String, RpcDispatcher.Method> register(EmbeddedChain chain) {
    EthRpcMethods m = new EthRpcMethods(chain);
    Map<String, RpcDispatcher.Method> t = new HashMap<>();
    t.put("web3_clientVersion", p -> TextNode.valueOf(CLIENT_VERSION));
    t.put("web3_sha3", p -> TextNode.valueOf(Hex.data(Hash.sha3(p.atMost(1).data(0)))));
    t.put("net_version", p -> TextNode.valueOf(Long.toString(chain.chainId())));
    t.put("net_listening", p -> BooleanNode.TRUE);
    t.put("net_peerCount", p -> TextNode.valueOf("0x0"));
    t.put("eth_chainId", p -> q(chain.chainId()));
    t.put("eth_blockNumber", p -> q(chain.head().number()));
    t.put("eth_syncing", p -> BooleanNode.FALSE);
    t.put("eth_mining", p -> BooleanNode.FALSE);
    t.put("eth_accounts", p -> RpcDispatcher.NODES.arrayNode());
    t.put("eth_coinbase", p -> TextNode.valueOf(chain.genesis().coinbase()));
    t.put("eth_gasPrice", p -> q(chain.genesis().baseFeePerGas().add(SUGGESTED_TIP)));
    t.put("eth_maxPriorityFeePerGas", p -> q(SUGGESTED_TIP));
    t.put("eth_feeHistory", m::feeHistory);
    t.put("eth_getBalance", p -> q(chain.balance(p.atMost(2).address(0), m.stateBlock(p, 1))));
    t.put(
        "eth_getTransactionCount", p -> q(chain.nonce(p.atMost(2).address(0), m.stateBlock(p, 1))));
    t.put(
        "eth_getCode",
        p -> TextNode.valueOf(Hex.data(chain.code(p.atMost(2).address(0), m.stateBlock(p, 1)))));
    t.put("eth_getStorageAt", m::getStorageAt);
    t.put("eth_call", m::call);
    t.put("eth_estimateGas", m::estimateGas);
    t.put(
        "eth_sendRawTransaction",
        p -> TextNode.valueOf(chain.sendRawTransaction(p.atMost(1).data(0))));
    t.put("eth_getTransactionByHash", m::transactionByHash);
    t.put("eth_getTransactionReceipt", m::receipt);
    t.put("eth_getTransactionByBlockNumberAndIndex", p -> m.txByIndex(m.blockByTag(p, 0), p));
    t.put(
        "eth_getTransactionByBlockHashAndIndex", p -> m.txByIndex(chain.blockByHash(p.hash(0)), p));
    t.put("eth_getBlockByNumber", p -> m.blockJson(m.blockByTag(p.atMost(2), 0), p.bool(1, false)));
    t.put(
        "eth_getBlockByHash",
        p -> m.blockJson(chain.blockByHash(p.atMost(2).hash(0)), p.bool(1, false)));
    t.put("eth_getBlockTransactionCountByNumber", p -> txCount(m.blockByTag(p.atMost(1), 0)));
    t.put(
        "eth_getBlockTransactionCountByHash", p -> txCount(chain.blockByHash(p.atMost(1).hash(0))));
    t.put("eth_getUncleCountByBlockNumber", p -> q(0));
    t.put("eth_getUncleCountByBlockHash", p -> q(0));
    t.put("eth_getLogs", m::getLogs);
    t.putAll(DevRpcMethods.register(chain));
    return t;
  }

  static TextNode q(long v) {
    return TextNode.valueOf(Hex.quantity(v));
  }

  static TextNode q(BigInteger v) {
    return TextNode.valueOf(Hex.quantity(v));
  }

  // ---------------------------------------------------------------- block parameters

  /** A block number, or LATEST for latest / pending / safe / finalized. */
  private long tagNumber(RpcParams p, int i, JsonNode n) {
    if (n.isTextual()) {
      switch (n.asText()) {
        case "latest", "pending", "safe", "finalized":
          return LATEST;
        case "earliest":
          return 0;
        default:
          break;
      }
    }
    return p.longQuantity(i, n);
  }

  /** A block for eth_getBlockByNumber and friends: null when it does not exist. */
  private Block blockByTag(RpcParams p, int i) {
    long n = tagNumber(p, i, p.required(i));
    return n == LATEST ? chain.head() : chain.block(n);
  }

  /**
   * The block whose state a read uses: null means the current state. Accepts tags, numbers and
   * EIP-1898 objects ({blockNumber} or {blockHash}); an unknown block is geth's "header not found".
   */
  private Block stateBlock(RpcParams p, int i) {
    JsonNode n = p.opt(i);
    if (n == null) {
      return null;
    }
    if (n.isObject()) {
      if (n.hasNonNull("blockHash")) {
        Block b = chain.blockByHash(p.hash(i, n.get("blockHash").asText()));
        if (b == null) {
          throw RpcException.rejected("header for hash not found");
        }
        return b;
      }
      if (n.hasNonNull("blockNumber")) {
        n = n.get("blockNumber");
      } else {
        throw RpcParams.bad(i, "block object needs blockHash or blockNumber");
      }
    }
    long number = tagNumber(p, i, n);
    if (number == LATEST) {
      return null;
    }
    Block b = chain.block(number);
    if (b == null) {
      throw RpcException.rejected("header not found");
    }
    return b;
  }

  // ---------------------------------------------------------------- state

  private JsonNode getStorageAt(RpcParams p) {
    p.atMost(3);
    String address = p.address(0);
    String slotText = p.text(1);
    // Slots come as quantities ("0x0") from some clients and as 32-byte words from others.
    BigInteger slot = p.quantity(1, TextNode.valueOf(slotText));
    byte[] key = org.web3j.utils.Numeric.toBytesPadded(slot, 32);
    return TextNode.valueOf(Hex.word(chain.storage(address, key, stateBlock(p, 2))));
  }

  private CallArgs callArgs(RpcParams p) {
    JsonNode o = p.required(0);
    if (!o.isObject()) {
      throw RpcParams.bad(0, "expected a transaction call object");
    }
    String from = o.hasNonNull("from") ? p.address(0, o.get("from").asText()) : Hex.ZERO_ADDRESS;
    String to = o.hasNonNull("to") ? p.address(0, o.get("to").asText()) : null;
    Long gas = o.hasNonNull("gas") ? p.longQuantity(0, o.get("gas")) : null;
    BigInteger gasPrice = BigInteger.ZERO;
    if (o.hasNonNull("gasPrice")) {
      gasPrice = p.quantity(0, o.get("gasPrice"));
    } else if (o.hasNonNull("maxFeePerGas")) {
      BigInteger cap = p.quantity(0, o.get("maxFeePerGas"));
      BigInteger tip =
          o.hasNonNull("maxPriorityFeePerGas")
              ? p.quantity(0, o.get("maxPriorityFeePerGas"))
              : BigInteger.ZERO;
      gasPrice = cap.min(chain.genesis().baseFeePerGas().add(tip));
    }
    BigInteger value = o.hasNonNull("value") ? p.quantity(0, o.get("value")) : BigInteger.ZERO;
    byte[] input = o.hasNonNull("input") ? p.data(0, o.get("input").asText()) : null;
    byte[] data = o.hasNonNull("data") ? p.data(0, o.get("data").asText()) : null;
    if (input != null && data != null && !java.util.Arrays.equals(input, data)) {
      throw RpcParams.bad(
          0,
          "both \"data\" and \"input\" are set and not equal. Please use \"input\" to pass transaction call data");
    }
    byte[] payload = input != null ? input : data != null ? data : new byte[0];
    return new CallArgs(from, to, gas, gasPrice, value, payload);
  }

  private JsonNode call(RpcParams p) {
    if (p.size() > 2 && p.opt(2) != null) {
      throw RpcParams.bad(2, "state overrides are not supported");
    }
    CallArgs args = callArgs(p);
    TxExecutor.Outcome o = chain.call(args, stateBlock(p, 1));
    if (!o.success()) {
      if (o.reverted()) {
        throw EmbeddedChain.revertError(o.returnData());
      }
      throw RpcException.rejected(o.error());
    }
    return TextNode.valueOf(Hex.data(o.returnData()));
  }

  private JsonNode estimateGas(RpcParams p) {
    p.atMost(2);
    return q(chain.estimateGas(callArgs(p), stateBlock(p, 1)));
  }

  // ---------------------------------------------------------------- blocks and transactions

  private JsonNode blockJson(Block b, boolean full) {
    return b == null ? NullNode.instance : RpcJson.block(b, full, chain::transaction);
  }

  private static JsonNode txCount(Block b) {
    return b == null ? NullNode.instance : q(b.transactions().size());
  }

  private JsonNode txByIndex(Block b, RpcParams p) {
    p.atMost(2);
    long index = p.longQuantity(1);
    if (b == null || index >= b.transactions().size()) {
      return NullNode.instance;
    }
    StoredTx tx = chain.transaction(b.transactions().get((int) index));
    return tx == null ? NullNode.instance : RpcJson.transaction(tx);
  }

  private JsonNode transactionByHash(RpcParams p) {
    StoredTx tx = chain.transaction(p.atMost(1).hash(0));
    return tx == null ? NullNode.instance : RpcJson.transaction(tx);
  }

  private JsonNode receipt(RpcParams p) {
    StoredTx tx = chain.transaction(p.atMost(1).hash(0));
    return tx == null ? NullNode.instance : RpcJson.receipt(tx.receipt());
  }

  // ---------------------------------------------------------------- fees

  private JsonNode feeHistory(RpcParams p) {
    p.atMost(3);
    long count = Math.min(p.longQuantity(0), MAX_FEE_HISTORY_BLOCKS);
    Block newest = blockByTag(p, 1);
    if (newest == null) {
      throw RpcException.rejected("request beyond head block");
    }
    List<Double> percentiles = new ArrayList<>();
    JsonNode pct = p.opt(2);
    if (pct != null) {
      if (!pct.isArray() || pct.size() > 100) {
        throw RpcParams.bad(2, "expected at most 100 reward percentiles");
      }
      double last = 0;
      for (JsonNode x : pct) {
        if (!x.isNumber() || x.asDouble() < last || x.asDouble() > 100) {
          throw RpcParams.bad(2, "reward percentiles must be non-decreasing numbers in [0, 100]");
        }
        last = x.asDouble();
        percentiles.add(last);
      }
    }
    long oldest = Math.max(0, newest.number() - count + 1);
    ObjectNode out = RpcDispatcher.NODES.objectNode();
    ArrayNode baseFees = out.putArray("baseFeePerGas");
    ArrayNode ratios = out.putArray("gasUsedRatio");
    ArrayNode rewards = percentiles.isEmpty() ? null : out.putArray("reward");
    if (count == 0) {
      out.put("oldestBlock", "0x0");
      return out;
    }
    out.put("oldestBlock", Hex.quantity(oldest));
    for (long n = oldest; n <= newest.number(); n++) {
      Block b = chain.block(n);
      baseFees.add(Hex.quantity(b.baseFeePerGas()));
      ratios.add((double) b.gasUsed() / b.gasLimit());
      if (rewards != null) {
        rewards.add(rewardsOf(b, percentiles));
      }
    }
    // The base fee is constant, so the next block's equals the newest one's.
    baseFees.add(Hex.quantity(newest.baseFeePerGas()));
    return out;
  }

  /** Tips at the given percentiles, weighting each transaction by its gas like geth. */
  private ArrayNode rewardsOf(Block b, List<Double> percentiles) {
    ArrayNode out = RpcDispatcher.NODES.arrayNode();
    List<long[]> gasAndIndex = new ArrayList<>();
    List<BigInteger> tips = new ArrayList<>();
    for (String h : b.transactions()) {
      StoredTx tx = chain.transaction(h);
      if (tx != null) {
        tips.add(tx.receipt().effectiveGasPrice().subtract(b.baseFeePerGas()));
        gasAndIndex.add(new long[] {tx.receipt().gasUsed(), tips.size() - 1});
      }
    }
    gasAndIndex.sort((x, y) -> tips.get((int) x[1]).compareTo(tips.get((int) y[1])));
    for (double pc : percentiles) {
      if (tips.isEmpty()) {
        out.add("0x0");
        continue;
      }
      double threshold = b.gasUsed() * pc / 100;
      long sum = 0;
      BigInteger pick = tips.get((int) gasAndIndex.get(gasAndIndex.size() - 1)[1]);
      for (long[] g : gasAndIndex) {
        sum += g[0];
        if (sum >= threshold) {
          pick = tips.get((int) g[1]);
          break;
        }
      }
      out.add(Hex.quantity(pick));
    }
    return out;
  }

  // ---------------------------------------------------------------- logs

  private JsonNode getLogs(RpcParams p) {
    p.atMost(1);
    JsonNode f = p.required(0);
    if (!f.isObject()) {
      throw RpcParams.bad(0, "expected a filter object");
    }
    long head = chain.head().number();
    long from;
    long to;
    if (f.hasNonNull("blockHash")) {
      if (f.hasNonNull("fromBlock") || f.hasNonNull("toBlock")) {
        throw RpcParams.bad(
            0, "cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other");
      }
      Block b = chain.blockByHash(p.hash(0, f.get("blockHash").asText()));
      if (b == null) {
        throw RpcException.rejected("unknown block");
      }
      from = b.number();
      to = b.number();
    } else {
      from = f.hasNonNull("fromBlock") ? tagNumber(p, 0, f.get("fromBlock")) : LATEST;
      to = f.hasNonNull("toBlock") ? tagNumber(p, 0, f.get("toBlock")) : LATEST;
      from = from == LATEST ? head : from;
      to = to == LATEST ? head : to;
      if (from > to) {
        throw RpcException.rejected("invalid block range params");
      }
      if (from > head) {
        return RpcDispatcher.NODES.arrayNode();
      }
      to = Math.min(to, head);
      if (to - from + 1 > MAX_LOG_BLOCK_RANGE) {
        throw new RpcException(
            RpcException.LIMIT_EXCEEDED,
            "block range too large: " + (to - from + 1) + " blocks, limit " + MAX_LOG_BLOCK_RANGE);
      }
    }
    Set<String> addresses = new HashSet<>();
    JsonNode a = f.get("address");
    if (a != null && !a.isNull()) {
      if (a.isArray()) {
        for (JsonNode x : a) {
          addresses.add(p.address(0, x.asText()));
        }
      } else {
        addresses.add(p.address(0, a.asText()));
      }
    }
    List<Set<String>> topics = new ArrayList<>();
    JsonNode t = f.get("topics");
    if (t != null && !t.isNull()) {
      if (!t.isArray() || t.size() > 4) {
        throw RpcParams.bad(0, "topics must be an array of at most 4 positions");
      }
      for (JsonNode pos : t) {
        topics.add(topicPosition(p, pos));
      }
    }
    ArrayNode out = RpcDispatcher.NODES.arrayNode();
    for (EmbeddedChain.LogMatch m :
        chain.logs(new LogFilter(from, to, addresses, topics), MAX_LOG_RESULTS)) {
      out.add(RpcJson.log(m.log(), m.receipt(), m.logIndex()));
    }
    return out;
  }

  /** null, [] or an array holding null: anything; a hash or array of hashes: any of them. */
  private static Set<String> topicPosition(RpcParams p, JsonNode pos) {
    if (pos.isNull()) {
      return null;
    }
    if (pos.isTextual()) {
      return Set.of(p.hash(0, pos.asText()));
    }
    if (!pos.isArray()) {
      throw RpcParams.bad(0, "a topic position must be null, a hash or an array of hashes");
    }
    Set<String> any = new HashSet<>();
    for (Iterator<JsonNode> it = pos.elements(); it.hasNext(); ) {
      JsonNode x = it.next();
      if (x.isNull()) {
        return null;
      }
      any.add(p.hash(0, x.asText()));
    }
    return any.isEmpty() ? null : any;
  }
}
