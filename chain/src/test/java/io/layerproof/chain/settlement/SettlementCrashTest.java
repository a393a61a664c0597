package io.layerproof.chain.settlement;

import static io.layerproof.chain.contracts.LayerproofContracts.send;
import static io.layerproof.chain.settlement.SettlementFixture.LPC;
import static io.layerproof.chain.settlement.SettlementFixture.PROVIDER;
import static io.layerproof.chain.settlement.SettlementFixture.SEQUENCER;
import static io.layerproof.chain.settlement.SettlementFixture.VERIFIER;
import static io.layerproof.chain.settlement.SettlementFixture.h;
import static io.layerproof.chain.settlement.SettlementFixture.lower;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.contracts.ContractAddresses;
import io.layerproof.chain.devnet.EmbeddedChain;
import io.layerproof.chain.settlement.SettlementFixture.Expected;
import io.layerproof.chain.settlement.SettlementFixture.Job;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * Must show 2 for settlement: a child JVM ({@link SettlementCrashChild}) settles over a persistent
 * embedded chain (EmbeddedChain.open) and is killed with SIGKILL at random moments, 12 rounds: half
 * by the test after a random delay (some while it is still opening the chain and the store), half
 * by the child itself at a random transaction step (before a transaction is sent, or after it
 * landed and before its outcome is recorded). Between rounds the test adds jobs (some proven
 * fraudulent) on the same chain. After every kill no account holds more than it is owed; at the
 * end, after a last uninterrupted run, every account holds exactly what it earned, paid once.
 */
class SettlementCrashTest {

  private static final Logger log = LoggerFactory.getLogger(SettlementCrashTest.class);
  private static final String TAG = "crash";
  private static final int ROUNDS = 12;
  private static final BigInteger DEPOSIT = LPC;
  private static final long PAST_WINDOWS = 600 + 3_600 + 1;

  @TempDir Path dir;

  @Test
  void settlementSurvivesSigkillAndPaysEveryoneExactlyOnce() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    log.info("settlement crash test seed {}", seed);
    Path chainDir = dir.resolve("chain");
    Path storeDir = dir.resolve("settlement");

    List<String> providers = List.of("p0", "p1", "p2", "p3");
    List<String> verifiers = List.of("v0", "v1", "v2");
    List<String> buyers = List.of("b0", "b1");
    ContractAddresses addresses;
    try (EmbeddedChain chain = EmbeddedChain.open(chainDir, SettlementFixture.genesis(TAG));
        SettlementFixture f = SettlementFixture.deploy(chain, TAG)) {
      f.node("sequencer", SEQUENCER);
      providers.forEach(p -> f.node(p, PROVIDER));
      verifiers.forEach(v -> f.node(v, VERIFIER));
      buyers.forEach(b -> f.buyer(b, DEPOSIT));
      addresses = f.addresses;
    }
    List<String> local = new ArrayList<>();
    Expected exp = new Expected();
    List<String> cheats = new ArrayList<>();
    int normalJobs = 0;
    int fraudJobs = 0;
    int midWorkKills = 0;

    for (int round = 0; round < ROUNDS; round++) {
      // New work on the same chain while no child runs.
      try (EmbeddedChain chain = EmbeddedChain.open(chainDir, SettlementFixture.genesis(TAG));
          SettlementFixture f = SettlementFixture.attach(chain, TAG, addresses)) {
        if (local.isEmpty()) {
          providers.forEach(p -> local.add(f.named(p).getAddress()));
          verifiers.forEach(v -> local.add(f.named(v).getAddress()));
        }
        MarketConfig config = MarketConfig.read(f.admin);
        Credentials seq = f.named("sequencer");
        for (int j = 0; j < 3; j++) {
          Job job = randomJob(f, random, seq, providers, verifiers, buyers);
          long[] units = new long[job.providers().size()];
          for (int s = 0; s < units.length; s++) {
            // Now and then a shard never commits (it earns nothing).
            units[s] = random.nextInt(8) == 0 && units.length > 1 ? 0 : 1 + random.nextInt(5000);
            if (units[s] > 0) {
              f.commit(job, s, units[s]);
            }
          }
          exp.finalized(config, job, units);
          normalJobs++;
        }
        if (round % 2 == 1) {
          // A cheater (registered for this job) proven fraudulent by two or three verifiers.
          String cheatName = "cheat-" + round;
          Credentials cheat = f.node(cheatName, PROVIDER);
          cheats.add(cheat.getAddress());
          Credentials honest = f.named(providers.get(random.nextInt(providers.size())));
          Credentials verifier = f.named(verifiers.get(0));
          Job job =
              f.openJob(
                  seq,
                  f.named(buyers.get(random.nextInt(buyers.size()))),
                  BigInteger.valueOf(1 + random.nextInt(3)).multiply(BigInteger.TEN.pow(9)),
                  List.of(cheat, honest),
                  verifier);
          f.commit(job, 0, 1 + random.nextInt(5000));
          f.commit(job, 1, 1 + random.nextInt(5000));
          List<Credentials> signers = new ArrayList<>();
          verifiers.forEach(v -> signers.add(f.named(v)));
          if (random.nextBoolean()) {
            signers.remove(random.nextInt(signers.size()));
          }
          var bond = send(f.admin.registry().bondOf(cheat.getAddress()));
          f.proveFraud(job, 0, h("evidence " + round), signers, f.named("sequencer"));
          exp.fraud(config, bond.component1().add(bond.component2()), signers);
          fraudJobs++;
        }
        f.increaseTime(PAST_WINDOWS);
      }

      boolean selfKill = round % 2 == 1;
      int killStep = selfKill ? 1 + random.nextInt(30) : 0;
      long delayMillis = round % 4 == 0 ? random.nextInt(400) : random.nextInt(900);
      boolean waitReady = round % 4 != 0;
      List<String> lines =
          runChild(
              chainDir, storeDir, addresses, local, killStep, selfKill, waitReady, delayMillis);
      failOnChildError(lines);
      long steps = lines.stream().filter(l -> l.startsWith("STEP")).count();
      boolean done = lines.stream().anyMatch(l -> l.startsWith("DONE"));
      if (steps > 0 && !done) {
        midWorkKills++;
      }
      String last =
          lines.stream().filter(l -> l.startsWith("STEP")).reduce((a, b) -> b).orElse("none");
      log.info(
          "round {}: {} , {} steps this run, done {}, last step: {}",
          round,
          selfKill
              ? "self-SIGKILL at step " + killStep
              : "SIGKILL after "
                  + delayMillis
                  + " ms"
                  + (waitReady ? " past READY" : " from start"),
          steps,
          done,
          last);

      // Whatever the kill interrupted, nobody holds more than it is owed so far.
      try (EmbeddedChain chain = EmbeddedChain.open(chainDir, SettlementFixture.genesis(TAG));
          SettlementFixture f = SettlementFixture.attach(chain, TAG, addresses)) {
        for (String a : local) {
          BigInteger held = f.balanceOf(a);
          BigInteger owed = exp.earnings.getOrDefault(a.toLowerCase(), BigInteger.ZERO);
          assertTrue(
              held.compareTo(owed) <= 0,
              "round " + round + ": " + a + " holds " + held + " but earned " + owed);
        }
        assertTrue(
            send(f.admin.distributor().rootTotal())
                    .compareTo(send(f.admin.distributor().totalFunded()))
                <= 0);
      }
    }

    // A last run, uninterrupted, finishes what the kills left.
    List<String> lines = runChild(chainDir, storeDir, addresses, local, 0, false, true, -1);
    failOnChildError(lines);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("DONE")), "the last run did not finish");

    try (EmbeddedChain chain = EmbeddedChain.open(chainDir, SettlementFixture.genesis(TAG));
        SettlementFixture f = SettlementFixture.attach(chain, TAG, addresses);
        SettlementStore store = SettlementStore.open(storeDir)) {
      for (String a : local) {
        assertEquals(
            exp.earnings.getOrDefault(a.toLowerCase(), BigInteger.ZERO),
            f.balanceOf(a),
            "tokens of " + a + " (seed " + seed + ")");
      }
      for (String cheat : cheats) {
        assertEquals(BigInteger.ZERO, f.balanceOf(cheat), "a slashed provider was paid");
      }
      assertEquals(BigInteger.ZERO, f.balanceOf(f.addresses.distributor()), "all claimed");
      assertEquals(exp.funded, send(f.admin.distributor().totalFunded()));
      assertEquals(exp.funded, send(f.admin.distributor().rootTotal()));
      for (String b : buyers) {
        String buyer = f.named(b).getAddress();
        assertEquals(
            DEPOSIT.subtract(exp.spentByBuyer.getOrDefault(lower(f.named(b)), BigInteger.ZERO)),
            f.escrowBalance(buyer),
            "escrow of " + b);
        assertEquals(BigInteger.ZERO, f.locked(buyer));
      }
      assertEquals(exp.toTreasury, f.balanceOf(SettlementFixture.treasury(TAG).getAddress()));

      SettlementService s = f.service(store, local);
      List<JobRecord> jobs = s.jobs();
      assertEquals(normalJobs + fraudJobs, jobs.size());
      assertTrue(jobs.stream().allMatch(j -> j.phase() == JobRecord.Phase.SETTLED));
      assertEquals(
          jobs.size(), jobs.stream().map(JobRecord::settledSeq).distinct().count(), "seq unique");
      List<SettledJob> outbox = s.pendingLedgerEvents();
      assertEquals(jobs.size(), outbox.size(), "one ledger event per job");
      assertEquals(jobs.size(), outbox.stream().map(SettledJob::jobId).distinct().count());
      assertEquals(exp.earnings, s.balances());
      // Every transaction the settler sent landed once: finalizes, roots and claims, no more.
      long epochs = s.latestEpoch().orElseThrow().epoch();
      long claims = 0;
      for (String a : local) {
        claims +=
            s.claims(a).stream()
                .filter(c -> c.phase() == ClaimRecord.Phase.CLAIMED && c.txHash() != null)
                .count();
      }
      BigInteger nonce =
          f.web3j
              .ethGetTransactionCount(f.settler.getAddress(), DefaultBlockParameterName.LATEST)
              .send()
              .getTransactionCount();
      assertEquals(BigInteger.valueOf(normalJobs + epochs + claims), nonce, "settler's txs");
      log.info(
          "settled {} jobs ({} fraud) in {} epochs with {} claims; {} of {} kills landed mid-work",
          jobs.size(),
          fraudJobs,
          epochs,
          claims,
          midWorkKills,
          ROUNDS);
    }
    assertTrue(midWorkKills >= ROUNDS / 2, "too few kills landed mid-work: " + midWorkKills);
  }

  private static Job randomJob(
      SettlementFixture f,
      Random random,
      Credentials seq,
      List<String> providers,
      List<String> verifiers,
      List<String> buyers) {
    List<String> shuffled = new ArrayList<>(providers);
    java.util.Collections.shuffle(shuffled, random);
    List<Credentials> shardProviders = new ArrayList<>();
    for (String p : shuffled.subList(0, 1 + random.nextInt(3))) {
      shardProviders.add(f.named(p));
    }
    // Max price from 1e9 to 2e10 wei: at 1e6 wei per unit, the larger jobs are often capped.
    BigInteger maxPrice =
        BigInteger.valueOf(1 + random.nextInt(20)).multiply(BigInteger.TEN.pow(9));
    return f.openJob(
        seq,
        f.named(buyers.get(random.nextInt(buyers.size()))),
        maxPrice,
        shardProviders,
        f.named(verifiers.get(random.nextInt(verifiers.size()))));
  }

  private void failOnChildError(List<String> lines) {
    for (String line : lines) {
      if (line.startsWith("FAIL")) {
        throw new AssertionError(
            "the child failed: " + line + tail(dir.resolve("child-stderr.log")));
      }
    }
  }

  /**
   * Runs the child; with {@code delayMillis >= 0} and no self-kill, SIGKILLs it that long after
   * READY (or after start); a self-killing child dies by itself (or is killed once it is DONE);
   * with {@code delayMillis < 0} waits for it to exit on its own.
   */
  private List<String> runChild(
      Path chainDir,
      Path storeDir,
      ContractAddresses a,
      List<String> local,
      int killStep,
      boolean selfKill,
      boolean waitReady,
      long delayMillis)
      throws IOException, InterruptedException {
    boolean toCompletion = delayMillis < 0 && !selfKill;
    Path stderr = dir.resolve("child-stderr.log");
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            // RocksDB unpacks its 17 MB native library into java.io.tmpdir and a SIGKILLed JVM
            // never deletes it: keep those copies in the test's folder, which is cleaned up.
            "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("child-tmp")),
            "-cp",
            System.getProperty("java.class.path"),
            SettlementCrashChild.class.getName(),
            chainDir.toString(),
            storeDir.toString(),
            TAG,
            a.token(),
            a.registry(),
            a.market(),
            a.anchor(),
            a.distributor(),
            String.join(",", local),
            Integer.toString(killStep),
            toCompletion ? "exit" : "wait");
    pb.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    Process child = pb.start();
    List<String> lines = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  synchronized (lines) {
                    lines.add(line);
                  }
                  if (line.startsWith("READY")) {
                    ready.countDown();
                  } else if (line.startsWith("DONE")) {
                    finished.countDown();
                  }
                }
              } catch (IOException ignored) {
                // the pipe breaks when the child dies
              }
            });
    reader.start();
    try {
      if (toCompletion) {
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
          throw new AssertionError("the last run did not finish in 120 s; see " + stderr);
        }
        assertEquals(0, child.exitValue(), "the last run failed; see " + stderr);
      } else if (selfKill) {
        // It kills itself at its step; if it runs out of steps first it reports DONE.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (child.isAlive() && finished.getCount() > 0) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError(
                "a self-killing child neither died nor finished; see " + stderr);
          }
          child.waitFor(20, TimeUnit.MILLISECONDS);
        }
      } else {
        if (waitReady && !ready.await(60, TimeUnit.SECONDS)) {
          throw new AssertionError("the child did not start; see " + stderr + tail(stderr));
        }
        Thread.sleep(delayMillis);
      }
    } finally {
      child.destroyForcibly(); // SIGKILL on Unix (a no-op if it already died)
      child.waitFor();
      reader.join();
    }
    if (!toCompletion && child.exitValue() != 137 && child.exitValue() != 0) {
      throw new AssertionError(
          "child exit " + child.exitValue() + "; see " + stderr + tail(stderr));
    }
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  private static String tail(Path file) {
    try {
      List<String> all = Files.readAllLines(file);
      return "\n" + String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
    } catch (IOException e) {
      return "";
    }
  }
}
