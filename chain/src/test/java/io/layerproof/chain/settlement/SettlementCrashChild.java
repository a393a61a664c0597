package io.layerproof.chain.settlement;

import io.layerproof.chain.contracts.ContractAddresses;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.devnet.EmbeddedChain;
import io.layerproof.chain.event.TestEvents;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The process {@link SettlementCrashTest} kills: it opens the persistent embedded chain and the
 * settlement store and settles in small steps (two jobs per epoch) until everything is paid. Every
 * transaction is announced as {@code STEP <n> before|after <action> <subject>} (flushed). With a
 * kill step {@code k > 0} it sends itself SIGKILL when step k is reached; it prints {@code DONE}
 * when no work is left, then exits (mode "exit") or waits to be killed (mode "wait").
 *
 * <p>Arguments: chainDir storeDir tag token registry market anchor distributor
 * localAccounts(comma-separated) killStep mode. The settler's key is derived from the tag, as the
 * test derives it; no key is passed.
 */
public final class SettlementCrashChild {

  private static final int JOBS_PER_EPOCH = 2;

  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
    try {
      run(args, out);
    } catch (Throwable t) {
      out.println("FAIL " + t);
      out.flush();
      t.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args, PrintStream out) throws Exception {
    Path chainDir = Path.of(args[0]);
    Path storeDir = Path.of(args[1]);
    String tag = args[2];
    ContractAddresses addresses =
        new ContractAddresses(args[3], args[4], args[5], args[6], args[7]);
    List<String> local = Arrays.asList(args[8].split(","));
    int killStep = Integer.parseInt(args[9]);
    boolean exitWhenDone = args[10].equals("exit");

    EmbeddedChain chain = EmbeddedChain.open(chainDir, SettlementFixture.genesis(tag));
    Web3j web3j = Web3j.build(chain.web3jService());
    LayerproofContracts settler =
        LayerproofContracts.load(
            web3j, chain.chainId(), TestEvents.buyer(tag + "/settler"), addresses);
    SettlementStore store = SettlementStore.open(storeDir);
    int[] step = {0};
    SettlementListener announce =
        new SettlementListener() {
          @Override
          public void beforeSend(Action action, String subject) {
            step("before " + action + " " + subject);
          }

          @Override
          public void afterSend(Action action, String subject, TransactionReceipt receipt) {
            step("after " + action + " " + subject);
          }

          private void step(String what) {
            step[0]++;
            out.println("STEP " + step[0] + " " + what);
            out.flush();
            if (step[0] == killStep) {
              sigkillSelf();
            }
          }
        };
    SettlementService service =
        new SettlementService(
            settler, store, SettlementOptions.defaults(local).withListener(announce));
    out.println("READY " + chain.blockNumber());
    out.flush();

    while (true) {
      service.discoverJobs();
      service.settleDueJobs(JOBS_PER_EPOCH);
      service.closeEpoch();
      service.claimLocal();
      if (done(service, local)) {
        break;
      }
    }
    out.println("DONE " + step[0]);
    out.flush();
    if (!exitWhenDone) {
      Thread.sleep(Long.MAX_VALUE);
    }
    store.close();
    web3j.shutdown();
    chain.close();
    System.exit(0);
  }

  /** Every job settled, the balances posted, every local balance claimed. */
  private static boolean done(SettlementService s, List<String> local) {
    if (s.jobs().stream().anyMatch(j -> j.phase() != JobRecord.Phase.SETTLED)) {
      return false;
    }
    Map<String, BigInteger> balances = s.balances();
    Optional<EpochRecord> epoch = s.latestEpoch();
    if (balances.isEmpty()) {
      return true;
    }
    if (epoch.isEmpty()
        || epoch.get().phase() != EpochRecord.Phase.POSTED
        || !epoch.get().balances().equals(balances)) {
      return false;
    }
    for (String account : local) {
      BigInteger owed = balances.get(account.toLowerCase(java.util.Locale.ROOT));
      if (owed == null) {
        continue;
      }
      boolean paid =
          s.claims(account).stream()
              .anyMatch(c -> c.phase() == ClaimRecord.Phase.CLAIMED && c.cumulative().equals(owed));
      if (!paid) {
        return false;
      }
    }
    return true;
  }

  /** A real SIGKILL, from outside the JVM, at an exact step: no shutdown hooks, no flushes. */
  private static void sigkillSelf() {
    try {
      new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid()))
          .inheritIO()
          .start()
          .waitFor();
      Thread.sleep(60_000);
    } catch (Exception e) {
      Runtime.getRuntime().halt(137);
    }
    Runtime.getRuntime().halt(137);
  }
}
