package io.layerproof.chain.devnet;

import io.horizen.evm.Address;
import io.horizen.evm.BlockHashCallback;
import io.horizen.evm.Database;
import io.horizen.evm.Hash;
import io.horizen.evm.LevelDBDatabase;
import io.horizen.evm.LibEvmException;
import io.horizen.evm.MemoryDatabase;
import io.horizen.evm.StateDB;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3jService;

/**
 * A single-node Ethereum development chain on go-ethereum's EVM (libevm). Every accepted
 * transaction is mined at once in its own block (anvil's automine), so its receipt exists when
 * eth_sendRawTransaction returns. State lives in LevelDB (libevm), blocks and receipts in RocksDB.
 *
 * <p>libevm is not thread-safe for one StateDB, so every state access holds one lock; block,
 * transaction and log reads go straight to RocksDB. Each block works on a fresh StateDB opened at
 * the current root: a geth StateDB cannot be used after commit.
 *
 * <p>Block timestamps never go backwards but may repeat within one wall-clock second, so a busy
 * chain does not drift ahead of real time (anvil and geth's dev mode add a second per block).
 */
public final class EmbeddedChain implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedChain.class);

  /** geth's default RPCGasCap for eth_call. */
  static final long CALL_GAS_CAP = 50_000_000L;

  private final DevnetGenesis genesis;
  private final Path dataDir;
  private final Database stateDb;
  private final ChainStore store;
  private final ReentrantLock lock = new ReentrantLock();
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final BlockHashCallback blockHashes;
  private final List<ChainMeta> snapshots = new ArrayList<>();
  private final RpcDispatcher rpc;
  private final InProcessWeb3jService web3jService;
  private volatile Block head;
  private volatile ChainMeta meta;
  private volatile boolean closed;

  private EmbeddedChain(DevnetGenesis requested, Path dataDir, Database stateDb, ChainStore store) {
    this.dataDir = dataDir;
    this.stateDb = stateDb;
    this.store = store;
    this.blockHashes =
        new BlockHashCallback() {
          @Override
          protected Hash getBlockHash(BigInteger number) {
            Block b = number.bitLength() < 63 ? store.block(number.longValue()) : null;
            return b == null ? Hash.ZERO : new Hash(b.hash());
          }
        };
    try {
      this.genesis = loadOrCreate(requested);
    } catch (RuntimeException e) {
      blockHashes.close();
      throw e;
    }
    this.rpc = new RpcDispatcher(EthRpcMethods.register(this));
    this.web3jService = new InProcessWeb3jService(rpc);
  }

  /**
   * Opens (or creates) a persistent chain: state under dataDir/state, blocks under dataDir/chain.
   */
  public static EmbeddedChain open(Path dataDir, DevnetGenesis genesis) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create data folder " + dataDir, e);
    }
    checkLibEvmLoads();
    LevelDBDatabase state;
    try {
      state = new LevelDBDatabase(dataDir.resolve("state").toString());
    } catch (LibEvmException e) {
      throw new IllegalStateException(
          "cannot open the state database in "
              + dataDir.resolve("state")
              + " (is another process using this data folder?): "
              + e.getMessage(),
          e);
    }
    ChainStore store;
    try {
      store = ChainStore.open(dataDir.resolve("chain"));
    } catch (RuntimeException e) {
      state.close();
      throw e;
    }
    return create(genesis, dataDir, state, store);
  }

  /** A chain that lives in memory only. */
  public static EmbeddedChain inMemory(DevnetGenesis genesis) {
    checkLibEvmLoads();
    return create(genesis, null, new MemoryDatabase(), ChainStore.inMemory());
  }

  public static EmbeddedChain inMemory() {
    return inMemory(DevnetGenesis.defaults());
  }

  /**
   * libevm's static initialiser needs log4j-api; without it every later use fails with a bare
   * NoClassDefFoundError, so say what is missing once, here.
   */
  private static void checkLibEvmLoads() {
    try {
      Class.forName("io.horizen.evm.LibEvm");
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(
          "libevm cannot load: it needs org.apache.logging.log4j:log4j-api on the classpath"
              + " (add log4j-to-slf4j to route its logs to slf4j); cause: "
              + e,
          e);
    }
  }

  private static EmbeddedChain create(DevnetGenesis g, Path dir, Database state, ChainStore store) {
    try {
      return new EmbeddedChain(g, dir, state, store);
    } catch (RuntimeException e) {
      store.close();
      state.close();
      throw e;
    }
  }

  /** An in-process Web3j transport: {@code Web3j.build(chain.web3jService())}, no sockets. */
  public Web3jService web3jService() {
    return web3jService;
  }

  /** The JSON-RPC dispatcher shared by the in-process service and the HTTP server. */
  public RpcDispatcher rpc() {
    return rpc;
  }

  public long chainId() {
    return genesis.chainId();
  }

  public long blockNumber() {
    return head.number();
  }

  public DevnetGenesis genesis() {
    return genesis;
  }

  /** The data folder, or null for an in-memory chain. */
  public Path dataDir() {
    return dataDir;
  }

  // ---------------------------------------------------------------- genesis and open

  private DevnetGenesis loadOrCreate(DevnetGenesis requested) {
    DevnetGenesis stored = store.genesis().orElse(null);
    if (stored == null) {
      createGenesis(requested);
      return requested;
    }
    if (stored.chainId() != requested.chainId()) {
      throw new IllegalStateException(
          "data folder "
              + dataDir
              + " holds chain id "
              + stored.chainId()
              + ", not the requested "
              + requested.chainId());
    }
    this.meta =
        store
            .meta()
            .orElseThrow(() -> new IllegalStateException("chain store has a genesis but no head"));
    this.head = store.block(meta.headNumber());
    if (head == null) {
      throw new IllegalStateException("chain store is missing its head block " + meta.headNumber());
    }
    checkStateRootPresent();
    return stored;
  }

  private void createGenesis(DevnetGenesis genesis) {
    String root =
        withState(
            StateDB.EMPTY_ROOT_HASH.toString(),
            st -> {
              for (Map.Entry<String, BigInteger> e : genesis.alloc().entrySet()) {
                st.setBalance(new Address(e.getKey()), e.getValue());
              }
              return st.commit().toString();
            });
    long ts = genesis.timestamp() > 0 ? genesis.timestamp() : nowSeconds();
    Block block0 =
        BlockAssembler.seal(
                BlockAssembler.ZERO_HASH,
                0,
                ts,
                genesis.coinbase(),
                genesis.blockGasLimit(),
                genesis.baseFeePerGas(),
                root,
                List.of())
            .block();
    ChainMeta m = new ChainMeta(0, root, 0, 0);
    store.writeGenesis(genesis, block0, m);
    this.head = block0;
    this.meta = m;
    log.info("devnet genesis {} chain id {} at {}", block0.hash(), genesis.chainId(), where());
  }

  private void checkStateRootPresent() {
    try {
      withState(meta.stateRoot(), st -> null);
    } catch (LibEvmException e) {
      throw new IllegalStateException(
          "state root "
              + meta.stateRoot()
              + " of head block "
              + head.number()
              + " is missing from "
              + where()
              + "/state: the state database is out of step with the chain store"
              + " (deleted, restored separately, or lost in an OS crash); delete the whole"
              + " data folder to start a fresh chain",
          e);
    }
    log.info("devnet reopened at block {} ({}) in {}", head.number(), head.hash(), where());
  }

  private String where() {
    return dataDir == null ? "memory" : dataDir.toString();
  }

  // ---------------------------------------------------------------- reads

  Block head() {
    return head;
  }

  Block block(long number) {
    return number > head.number() ? null : reading(() -> store.block(number));
  }

  Block blockByHash(String hash) {
    return reading(() -> store.blockByHash(hash));
  }

  StoredTx transaction(String hash) {
    return reading(() -> store.tx(hash));
  }

  /**
   * Store reads need no state lock but must not race close(): RocksDB handles used after close
   * crash the JVM rather than throw.
   */
  private <T> T reading(java.util.function.Supplier<T> read) {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      return read.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Where reads and calls run: for {@code null} (latest/pending) the current state and the next
   * block's environment, otherwise that block's state and environment.
   */
  private record StateAt(String root, BlockEnv env) {}

  private StateAt stateAt(Block block) {
    if (block == null) {
      Block h = head;
      return new StateAt(meta.stateRoot(), env(h.number() + 1, nextTimestamp(h), h.hash()));
    }
    return new StateAt(
        block.stateRoot(), env(block.number(), block.timestamp(), block.parentHash()));
  }

  BigInteger balance(String address, Block at) {
    return read(at, st -> st.getBalance(new Address(address)));
  }

  long nonce(String address, Block at) {
    return read(at, st -> st.getNonce(new Address(address)).longValueExact());
  }

  byte[] code(String address, Block at) {
    byte[] code = read(at, st -> st.getCode(new Address(address)));
    return code == null ? new byte[0] : code;
  }

  byte[] storage(String address, byte[] slot, Block at) {
    return read(at, st -> st.getStorage(new Address(address), new Hash(slot)).toBytes());
  }

  private <T> T read(Block at, Function<StateDB, T> fn) {
    lock.lock();
    try {
      ensureOpen();
      return withState(stateAt(at).root(), fn);
    } finally {
      lock.unlock();
    }
  }

  /** eth_call: runs on a throwaway StateDB, so nothing leaks into the chain. */
  TxExecutor.Outcome call(CallArgs args, Block at) {
    long gas = args.gas() == null ? CALL_GAS_CAP : Math.min(args.gas(), CALL_GAS_CAP);
    lock.lock();
    try {
      ensureOpen();
      StateAt s = stateAt(at);
      return runCall(s, args, gas);
    } finally {
      lock.unlock();
    }
  }

  /**
   * eth_estimateGas: the smallest gas limit with which the message succeeds, found by binary search
   * like geth but to the exact gas (geth stops within 1.5%), so estimate - 1 fails.
   */
  long estimateGas(CallArgs args, Block at) {
    long cap = genesis.blockGasLimit();
    long hi = args.gas() == null ? cap : Math.min(args.gas(), cap);
    lock.lock();
    try {
      ensureOpen();
      StateAt s = stateAt(at);
      long intrinsic = TxRules.intrinsicGas(args.data(), args.to() == null, List.of());
      if (hi < intrinsic) {
        throw RpcException.rejected("gas required exceeds allowance (" + hi + ")");
      }
      TxExecutor.Outcome first = runCall(s, args, hi);
      if (!first.success()) {
        if (first.reverted()) {
          throw revertError(first.returnData());
        }
        if (first.error().contains("gas")) {
          throw RpcException.rejected("gas required exceeds allowance (" + hi + ")");
        }
        throw RpcException.rejected(first.error());
      }
      long lo = Math.max(intrinsic, first.gasUsed()) - 1;
      // Most messages need what they spent plus the 1/64 kept back by each call (EIP-150).
      long optimistic = Math.min(hi, (first.gasUsed() + first.refund() + 2300) * 64 / 63);
      if (optimistic > lo && optimistic < hi) {
        if (runCall(s, args, optimistic).success()) {
          hi = optimistic;
        } else {
          lo = optimistic;
        }
      }
      while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        if (runCall(s, args, mid).success()) {
          hi = mid;
        } else {
          lo = mid;
        }
      }
      return hi;
    } finally {
      lock.unlock();
    }
  }

  private TxExecutor.Outcome runCall(StateAt s, CallArgs a, long gas) {
    TxExecutor.Outcome o =
        withState(
            s.root(),
            st ->
                TxExecutor.applyCall(
                    st, a.from(), a.to(), a.value(), a.data(), gas, a.gasPrice(), s.env()));
    if (a.to() == null && o.reverted() && o.returnData().length == 0) {
      byte[] data =
          withState(
              s.root(),
              st ->
                  TxExecutor.constructorRevertData(
                      st, a.from(), a.value(), a.data(), gas, a.gasPrice(), s.env()));
      if (data != null && data.length > 0) {
        return new TxExecutor.Outcome(
            false, true, o.error(), data, o.gasUsed(), o.refund(), null, o.logs());
      }
    }
    return o;
  }

  static RpcException revertError(byte[] data) {
    if (data == null || data.length == 0) {
      return RpcException.rejected("execution reverted");
    }
    return new RpcException(
        RpcException.EXECUTION_REVERTED, RevertReason.message(data), Hex.data(data));
  }

  /** A matching log with where it sits in the chain. */
  record LogMatch(LogEntry log, TxReceipt receipt, int logIndex) {}

  /** Logs in the filter's range; fails once more than {@code maxResults} match. */
  List<LogMatch> logs(LogFilter filter, int maxResults) {
    return reading(() -> findLogs(filter, maxResults));
  }

  private List<LogMatch> findLogs(LogFilter filter, int maxResults) {
    List<LogMatch> out = new ArrayList<>();
    for (ChainStore.BloomEntry e : store.blocksWithLogs(filter.fromBlock(), filter.toBlock())) {
      if (!filter.mayMatch(e.bloom())) {
        continue;
      }
      Block b = store.block(e.number());
      if (b == null) {
        continue;
      }
      for (String txHash : b.transactions()) {
        StoredTx tx = store.tx(txHash);
        if (tx == null) {
          continue;
        }
        TxReceipt r = tx.receipt();
        for (int i = 0; i < r.logs().size(); i++) {
          LogEntry l = r.logs().get(i);
          if (filter.matches(l)) {
            if (out.size() >= maxResults) {
              throw new RpcException(
                  RpcException.LIMIT_EXCEEDED,
                  "query returned more than " + maxResults + " results; narrow the block range");
            }
            out.add(new LogMatch(l, r, r.firstLogIndex() + i));
          }
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- writes

  /** Validates, executes and mines a signed transaction; returns its hash. */
  public String sendRawTransaction(byte[] raw) {
    SignedTx tx = SignedTxDecoder.decode(raw); // sender recovery: no lock needed
    TxRules.checkStateless(tx, genesis);
    lock.lock();
    try {
      ensureOpen();
      Block parent = head;
      long number = parent.number() + 1;
      long ts = nextTimestamp(parent);
      BlockEnv env = env(number, ts, parent.hash());
      BigInteger price = tx.effectiveGasPrice(genesis.baseFeePerGas());
      List<BlockAssembler.Executed> executed = new ArrayList<>();
      String root =
          withState(
              meta.stateRoot(),
              st -> {
                TxRules.checkAgainstState(tx, st);
                TxExecutor.Outcome o = TxExecutor.applyTransaction(st, tx, env);
                executed.add(new BlockAssembler.Executed(tx, o, price));
                return st.commit().toString();
              });
      seal(parent, number, ts, root, executed);
      return tx.hash();
    } finally {
      lock.unlock();
    }
  }

  /** Mines an empty block now (what a block timer does; evm_mine without a timestamp). */
  public long mineEmptyBlock() {
    return mine(null).number();
  }

  /** Mines an empty block, at {@code timestamp} if given (evm_mine). */
  Block mine(Long timestamp) {
    lock.lock();
    try {
      ensureOpen();
      if (timestamp != null) {
        setNextBlockTimestamp(timestamp);
      }
      Block parent = head;
      seal(parent, parent.number() + 1, nextTimestamp(parent), meta.stateRoot(), List.of());
      return head;
    } finally {
      lock.unlock();
    }
  }

  private void seal(
      Block parent, long number, long ts, String root, List<BlockAssembler.Executed> txs) {
    BlockAssembler.Sealed sealed =
        BlockAssembler.seal(
            parent.hash(),
            number,
            ts,
            genesis.coinbase(),
            genesis.blockGasLimit(),
            genesis.baseFeePerGas(),
            root,
            txs);
    // A consumed exact timestamp becomes the new clock: later blocks continue from it (anvil).
    long offset = meta.nextTimestamp() != 0 ? ts - nowSeconds() : meta.timeOffset();
    ChainMeta next = new ChainMeta(number, root, offset, 0);
    store.appendBlock(sealed.block(), sealed.txs(), next);
    head = sealed.block();
    meta = next;
  }

  /** anvil_setBalance / anvil_setNonce / anvil_setCode: change state without mining. */
  void mutateState(java.util.function.Consumer<StateDB> change) {
    lock.lock();
    try {
      ensureOpen();
      String root =
          withState(
              meta.stateRoot(),
              st -> {
                change.accept(st);
                return st.commit().toString();
              });
      ChainMeta next =
          new ChainMeta(meta.headNumber(), root, meta.timeOffset(), meta.nextTimestamp());
      store.writeMeta(next);
      meta = next;
    } finally {
      lock.unlock();
    }
  }

  /** evm_increaseTime: returns the total offset in seconds. */
  long increaseTime(long seconds) {
    if (seconds < 0) {
      throw RpcException.invalidParams("evm_increaseTime takes a non-negative number of seconds");
    }
    lock.lock();
    try {
      ensureOpen();
      ChainMeta next =
          new ChainMeta(
              meta.headNumber(),
              meta.stateRoot(),
              Math.addExact(meta.timeOffset(), seconds),
              meta.nextTimestamp());
      store.writeMeta(next);
      meta = next;
      return next.timeOffset();
    } finally {
      lock.unlock();
    }
  }

  void setNextBlockTimestamp(long timestamp) {
    lock.lock();
    try {
      ensureOpen();
      if (timestamp < head.timestamp()) {
        throw RpcException.rejected(
            "Timestamp error: "
                + timestamp
                + " is lower than previous block's timestamp "
                + head.timestamp());
      }
      ChainMeta next =
          new ChainMeta(meta.headNumber(), meta.stateRoot(), meta.timeOffset(), timestamp);
      store.writeMeta(next);
      meta = next;
    } finally {
      lock.unlock();
    }
  }

  /** evm_snapshot: remembers the head; ids count from 0 like anvil's. */
  long snapshot() {
    lock.lock();
    try {
      ensureOpen();
      snapshots.add(meta);
      return snapshots.size() - 1;
    } finally {
      lock.unlock();
    }
  }

  /** evm_revert: drops later blocks and state changes; the snapshot and later ones are used up. */
  boolean revert(long id) {
    lock.lock();
    try {
      ensureOpen();
      if (id < 0 || id >= snapshots.size()) {
        return false;
      }
      ChainMeta target = snapshots.get((int) id);
      snapshots.subList((int) id, snapshots.size()).clear();
      store.truncate(target.headNumber(), head.number(), target);
      head = store.block(target.headNumber());
      meta = target;
      return true;
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- helpers

  private BlockEnv env(long number, long timestamp, String parentHash) {
    return new BlockEnv(
        genesis.chainId(),
        number,
        timestamp,
        genesis.coinbase(),
        genesis.blockGasLimit(),
        genesis.baseFeePerGas(),
        BlockAssembler.mixHashFor(parentHash),
        blockHashes);
  }

  private long nextTimestamp(Block parent) {
    ChainMeta m = meta;
    if (m.nextTimestamp() != 0) {
      return m.nextTimestamp();
    }
    return Math.max(nowSeconds() + m.timeOffset(), parent.timestamp());
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  private <T> T withState(String root, Function<StateDB, T> fn) {
    StateDB st = new StateDB(stateDb, new Hash(root));
    try {
      return fn.apply(st);
    } finally {
      try {
        st.close();
      } catch (Exception e) {
        log.warn("closing a StateDB failed", e);
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw RpcException.rejected("the embedded chain is closed");
    }
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      blockHashes.close();
      store.close();
      stateDb.close();
    } finally {
      lock.unlock();
      lifecycle.writeLock().unlock();
    }
  }
}
