package io.layerproof.chain.devnet;

import io.horizen.evm.StateDB;
import io.horizen.evm.TrieHasher;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;
import org.web3j.utils.Numeric;

/**
 * Seals executed transactions into a block: transaction and receipt tries (libevm's TrieHasher,
 * geth's DeriveSha), the logs bloom, and a Shanghai header whose keccak is the block hash, so
 * hashes are what an Ethereum client would compute for the same header.
 */
final class BlockAssembler {

  /** keccak(rlp([])): no uncles after the merge. */
  static final String EMPTY_UNCLES_HASH =
      "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";

  static final String EMPTY_TRIE_ROOT = StateDB.EMPTY_ROOT_HASH.toString();
  static final String ZERO_HASH = "0x" + "00".repeat(32);

  private BlockAssembler() {}

  /** A transaction with what it did, before it has a block hash. */
  record Executed(SignedTx tx, TxExecutor.Outcome outcome, BigInteger effectiveGasPrice) {}

  /** The sealed block and its transactions with receipts. */
  record Sealed(Block block, List<StoredTx> txs) {}

  /** Deterministic PREVRANDAO for the child of {@code parentHash}. */
  static String mixHashFor(String parentHash) {
    return Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(parentHash)));
  }

  static Sealed seal(
      String parentHash,
      long number,
      long timestamp,
      String coinbase,
      long gasLimit,
      BigInteger baseFee,
      String stateRoot,
      List<Executed> executed) {
    int n = executed.size();
    byte[][] txEncodings = new byte[n][];
    byte[][] receiptEncodings = new byte[n][];
    byte[] bloom = new byte[LogsBloom.BYTES];
    long cumulative = 0;
    long[] cumulativeAt = new long[n];
    byte[][] blooms = new byte[n][];
    for (int i = 0; i < n; i++) {
      Executed e = executed.get(i);
      txEncodings[i] = e.tx().raw();
      cumulative += e.outcome().gasUsed();
      cumulativeAt[i] = cumulative;
      blooms[i] = LogsBloom.of(e.outcome().logs());
      LogsBloom.or(bloom, blooms[i]);
      receiptEncodings[i] = receiptEncoding(e.tx().type(), e.outcome(), cumulative, blooms[i]);
    }
    String txRoot = TrieHasher.Root(txEncodings).toString();
    String receiptsRoot = TrieHasher.Root(receiptEncodings).toString();
    String mixHash = mixHashFor(parentHash);
    List<RlpType> header =
        List.of(
            Rlp.hex(parentHash),
            Rlp.hex(EMPTY_UNCLES_HASH),
            Rlp.hex(coinbase),
            Rlp.hex(stateRoot),
            Rlp.hex(txRoot),
            Rlp.hex(receiptsRoot),
            Rlp.bytes(bloom),
            Rlp.uint(0),
            Rlp.uint(number),
            Rlp.uint(gasLimit),
            Rlp.uint(cumulative),
            Rlp.uint(timestamp),
            Rlp.bytes(new byte[0]),
            Rlp.hex(mixHash),
            Rlp.bytes(new byte[8]),
            Rlp.uint(baseFee),
            Rlp.hex(EMPTY_TRIE_ROOT));
    byte[] headerRlp = RlpEncoder.encode(new RlpList(header));
    String hash = Numeric.toHexString(Hash.sha3(headerRlp));

    // Size as geth reports it: rlp([header, transactions, uncles, withdrawals]).
    List<byte[]> txItems = new ArrayList<>();
    for (byte[] raw : txEncodings) {
      boolean legacy = (raw[0] & 0xff) >= 0xc0;
      txItems.add(legacy ? raw : RlpEncoder.encode(RlpString.create(raw)));
    }
    byte[] emptyList = RlpEncoder.encode(new RlpList());
    long size =
        Rlp.listOfEncoded(List.of(headerRlp, Rlp.listOfEncoded(txItems), emptyList, emptyList))
            .length;

    List<StoredTx> stored = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    int logIndex = 0;
    for (int i = 0; i < n; i++) {
      Executed e = executed.get(i);
      TxExecutor.Outcome o = e.outcome();
      TxReceipt receipt =
          new TxReceipt(
              e.tx().hash(),
              i,
              hash,
              number,
              e.tx().from(),
              e.tx().to(),
              e.tx().type(),
              o.success(),
              o.gasUsed(),
              cumulativeAt[i],
              e.effectiveGasPrice(),
              o.contractAddress(),
              o.logs(),
              logIndex,
              blooms[i]);
      logIndex += o.logs().size();
      stored.add(new StoredTx(e.tx().raw(), receipt));
      hashes.add(e.tx().hash());
    }
    Block block =
        new Block(
            number,
            hash,
            parentHash,
            coinbase,
            stateRoot,
            txRoot,
            receiptsRoot,
            bloom,
            gasLimit,
            cumulative,
            timestamp,
            baseFee,
            mixHash,
            size,
            hashes);
    return new Sealed(block, stored);
  }

  /** Consensus receipt: [status, cumulativeGasUsed, bloom, logs], prefixed by the tx type. */
  private static byte[] receiptEncoding(
      int type, TxExecutor.Outcome o, long cumulative, byte[] bloom) {
    List<RlpType> logs = new ArrayList<>();
    for (LogEntry l : o.logs()) {
      List<RlpType> topics = new ArrayList<>();
      for (String t : l.topics()) {
        topics.add(Rlp.hex(t));
      }
      logs.add(new RlpList(Rlp.hex(l.address()), new RlpList(topics), Rlp.bytes(l.data())));
    }
    byte[] body =
        RlpEncoder.encode(
            new RlpList(
                o.success() ? Rlp.uint(1) : Rlp.uint(0),
                Rlp.uint(cumulative),
                Rlp.bytes(bloom),
                new RlpList(logs)));
    if (type == 0) {
      return body;
    }
    byte[] typed = new byte[body.length + 1];
    typed[0] = (byte) type;
    System.arraycopy(body, 0, typed, 1, body.length);
    return typed;
  }
}
