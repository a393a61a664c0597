package io.layerproof.chain.contracts;

import static io.layerproof.chain.contracts.ContractFixture.LPC;
import static io.layerproof.chain.contracts.ContractFixture.MAX_UINT;
import static io.layerproof.chain.contracts.ContractFixture.PROVIDER;
import static io.layerproof.chain.contracts.ContractFixture.VERIFIER;
import static io.layerproof.chain.contracts.ContractFixture.h;
import static io.layerproof.chain.contracts.ContractFixture.random32;
import static io.layerproof.chain.contracts.ContractFixture.reverts;
import static io.layerproof.chain.contracts.LayerproofContracts.send;
import static java.math.BigInteger.ZERO;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.testing.ChainUnderTest;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.contracts.generated.ProviderRegistry;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The money invariants as jqwik properties over random operation sequences, each step a real
 * transaction on the chain a subclass supplies (started once per class, a fresh deployment per
 * try). Tries and sequence lengths are kept small because every step is a transaction.
 *
 * <p>jqwik creates a new instance per property, so the chain is kept per concrete class in a static
 * map and closed after the container.
 */
public abstract class ContractPropertySuite {

  private static final Map<Class<?>, ChainUnderTest> CHAINS = new ConcurrentHashMap<>();

  /** 1e12 wei: amounts in the generators are multiples of it. */
  private static final BigInteger UNIT = BigInteger.TEN.pow(12);

  /** Starts the chain the properties run against; called once per test class. */
  protected abstract ChainUnderTest startChain();

  private ChainUnderTest chain() {
    return CHAINS.computeIfAbsent(getClass(), c -> startChain());
  }

  @AfterContainer
  static void stopChains() {
    CHAINS.values().forEach(ChainUnderTest::close);
    CHAINS.clear();
  }

  // =================================================================== market money

  sealed interface Op permits Deposit, Withdraw, Open, Settle {}

  record Deposit(int buyer, long units) implements Op {}

  record Withdraw(int buyer, long units) implements Op {}

  /** session: opened under the buyer's session grant instead of a signed request. */
  record Open(int buyer, long maxPriceUnits, boolean session) implements Op {}

  /** mode 0: commit both shards and finalize; 1: finalize without commitments; 2: fraud. */
  record Settle(int slot, int mode, long work0, long work1) implements Op {}

  @Provide
  Arbitrary<List<Op>> marketOps() {
    Arbitrary<Integer> buyer = Arbitraries.integers().between(0, 1);
    Arbitrary<Op> deposit =
        Combinators.combine(buyer, Arbitraries.longs().between(1, 100_000)).as(Deposit::new);
    Arbitrary<Op> withdraw =
        Combinators.combine(buyer, Arbitraries.longs().between(1, 60_000)).as(Withdraw::new);
    Arbitrary<Op> open =
        Combinators.combine(
                buyer, Arbitraries.longs().between(1, 30_000), Arbitraries.of(false, true))
            .as(Open::new);
    Arbitrary<Op> settle =
        Combinators.combine(
                Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 2),
                Arbitraries.longs().between(1, 20_000_000),
                Arbitraries.longs().between(1, 20_000_000))
            .as(Settle::new);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, deposit),
            net.jqwik.api.Tuple.of(2, withdraw),
            net.jqwik.api.Tuple.of(3, open),
            net.jqwik.api.Tuple.of(3, settle))
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  private static final class OpenJobModel {
    final ContractFixture.Job job;
    final int buyer;

    OpenJobModel(ContractFixture.Job job, int buyer) {
      this.job = job;
      this.buyer = buyer;
    }
  }

  /**
   * Across any sequence of deposits, withdrawals, opens, finalizations and fraud: the token supply
   * never changes and sits entirely with known holders; the market holds exactly the escrow; a
   * buyer's wallet + escrow drops by exactly the cost of its finalized jobs (so escrow never pays
   * out more than was deposited); the distributor holds exactly what jobs and challengers earned;
   * every slash is split between challengers and treasury to the wei; a session's spent total is
   * the sum of the maxPrice it opened and never exceeds its cap.
   */
  @Property(tries = 20)
  void marketMoneyIsConserved(@ForAll("marketOps") List<Op> ops) {
    ContractFixture f = ContractFixture.deploy(chain());
    List<Credentials> providers = List.of(f.node(PROVIDER), f.node(PROVIDER));
    List<Credentials> verifiers = List.of(f.node(VERIFIER), f.node(VERIFIER));
    f.sequencer();
    BigInteger initial = LPC;
    List<Credentials> buyers = List.of(f.buyer(ZERO), f.buyer(ZERO));
    for (Credentials b : buyers) {
      f.mint(b.getAddress(), initial);
    }
    List<String> holders = new ArrayList<>();
    buyers.forEach(c -> holders.add(c.getAddress()));
    providers.forEach(c -> holders.add(c.getAddress()));
    verifiers.forEach(c -> holders.add(c.getAddress()));
    holders.add(f.sequencer().getAddress());
    holders.add(f.deployer.getAddress());
    holders.add(f.treasury);
    holders.add(f.addresses.market());
    holders.add(f.addresses.registry());
    holders.add(f.addresses.distributor());
    BigInteger supply = send(f.admin.token().totalSupply());

    BigInteger[] escrow = {ZERO, ZERO};
    BigInteger[] locked = {ZERO, ZERO};
    BigInteger[] spent = {ZERO, ZERO};
    // One session per buyer, its cap below two of the largest opens.
    BigInteger cap = UNIT.multiply(BigInteger.valueOf(40_000));
    List<JobMarket.SessionGrant> grants =
        List.of(f.grant(cap, 30 * 86_400), f.grant(cap, 30 * 86_400));
    BigInteger[] sessionSpent = {ZERO, ZERO};
    BigInteger earned = ZERO; // what the distributor must hold
    BigInteger toTreasury = ZERO;
    List<OpenJobModel> open = new ArrayList<>();

    for (Op op : ops) {
      if (op instanceof Deposit d) {
        BigInteger amount = UNIT.multiply(BigInteger.valueOf(d.units()));
        send(f.as(buyers.get(d.buyer())).market().deposit(amount));
        escrow[d.buyer()] = escrow[d.buyer()].add(amount);
      } else if (op instanceof Withdraw w) {
        BigInteger amount = UNIT.multiply(BigInteger.valueOf(w.units()));
        BigInteger free = escrow[w.buyer()].subtract(locked[w.buyer()]);
        JobMarket m = f.as(buyers.get(w.buyer())).market();
        if (amount.compareTo(free) > 0) {
          reverts("InsufficientFreeBalance", () -> send(m.withdraw(amount)));
        } else {
          send(m.withdraw(amount));
          escrow[w.buyer()] = escrow[w.buyer()].subtract(amount);
        }
      } else if (op instanceof Open o) {
        BigInteger maxPrice = UNIT.multiply(BigInteger.valueOf(o.maxPriceUnits()));
        BigInteger free = escrow[o.buyer()].subtract(locked[o.buyer()]);
        Credentials b = buyers.get(o.buyer());
        boolean providersActive =
            providers.stream()
                .allMatch(p -> send(f.admin.registry().isActiveAs(p.getAddress(), BigInteger.ONE)));
        JobMarket.SessionGrant g = grants.get(o.buyer());
        ThrowingSupplier<ContractFixture.Job> opening =
            o.session()
                ? () -> f.openWithSession(b, g, maxPrice, providers, verifiers.get(0))
                : () -> f.openJob(b, maxPrice, providers, verifiers.get(0));
        if (o.session() && sessionSpent[o.buyer()].add(maxPrice).compareTo(cap) > 0) {
          reverts("SessionCapExceeded", opening::get);
        } else if (maxPrice.compareTo(free) > 0) {
          reverts("InsufficientFreeBalance", opening::get);
        } else if (!providersActive) {
          reverts("NotActiveProvider", opening::get);
        } else {
          open.add(new OpenJobModel(assertDoesNotThrow(opening), o.buyer()));
          locked[o.buyer()] = locked[o.buyer()].add(maxPrice);
          if (o.session()) {
            sessionSpent[o.buyer()] = sessionSpent[o.buyer()].add(maxPrice);
          }
        }
      } else if (op instanceof Settle s && !open.isEmpty()) {
        OpenJobModel j = open.remove(s.slot() % open.size());
        ContractFixture.Job job = j.job;
        BigInteger maxPrice = job.request().maxPrice;
        boolean canCommit =
            f.now().compareTo(send(f.admin.market().jobInfo(job.id())).commitDeadline) < 0;
        int mode = canCommit ? s.mode() : 1;
        if (mode == 2) {
          f.commit(job, 0, s.work0());
          var bond = send(f.admin.registry().bondOf(providers.get(0).getAddress()));
          BigInteger bonded = bond.component1().add(bond.component2());
          BigInteger expectSlash =
              bonded.multiply(BigInteger.valueOf(5000)).divide(BigInteger.valueOf(10_000));
          TransactionReceipt r =
              send(
                  f.admin
                      .market()
                      .resolveFraud(
                          job.id(), ZERO, h("e"), f.verdicts(job.id(), 0, h("e"), verifiers)));
          var ev = JobMarket.getFraudProvenEvents(r).get(0);
          assertEquals(expectSlash, ev.slashed);
          assertEquals(ev.slashed, ev.challengerRewards.add(ev.toTreasury), "slash accounted");
          earned = earned.add(ev.challengerRewards);
          toTreasury = toTreasury.add(ev.toTreasury);
        } else {
          if (mode == 0) {
            f.commit(job, 0, s.work0());
            f.commit(job, 1, s.work1());
          }
          BigInteger end = send(f.admin.market().challengeEndsAt(job.id()));
          BigInteger now = f.now();
          if (now.compareTo(end) < 0) {
            f.increaseTime(end.subtract(now).longValueExact() + 1);
          }
          TransactionReceipt r = send(f.admin.market().finalize(job.id()));
          BigInteger work = mode == 0 ? BigInteger.valueOf(s.work0() + s.work1()) : ZERO;
          BigInteger cost = f.params.unitPrice().multiply(work).min(maxPrice);
          var fin = JobMarket.getJobFinalizedEvents(r).get(0);
          assertEquals(cost, fin.cost);
          assertEquals(maxPrice, fin.cost.add(fin.refund));
          BigInteger payouts =
              JobMarket.getPayoutEvents(r).stream()
                  .map(p -> p.amount)
                  .reduce(ZERO, BigInteger::add);
          assertEquals(cost, payouts, "payouts sum to the cost");
          earned = earned.add(cost);
          escrow[j.buyer] = escrow[j.buyer].subtract(cost);
          spent[j.buyer] = spent[j.buyer].add(cost);
        }
        locked[j.buyer] = locked[j.buyer].subtract(maxPrice);
      }

      // ---- invariants after every step
      assertEquals(supply, send(f.admin.token().totalSupply()), "supply conserved");
      BigInteger held = ZERO;
      for (String h : holders) {
        held = held.add(f.balanceOf(h));
      }
      assertEquals(supply, held, "every token is with a known holder");
      assertEquals(
          escrow[0].add(escrow[1]), f.balanceOf(f.addresses.market()), "market holds the escrow");
      for (int i = 0; i < 2; i++) {
        String b = buyers.get(i).getAddress();
        assertEquals(escrow[i], f.escrowBalance(b));
        assertEquals(locked[i], f.locked(b));
        assertTrue(locked[i].compareTo(escrow[i]) <= 0);
        assertEquals(
            initial.subtract(spent[i]), f.balanceOf(b).add(escrow[i]), "buyer pays only costs");
        assertEquals(sessionSpent[i], f.spent(buyers.get(i), grants.get(i)));
        assertTrue(sessionSpent[i].compareTo(cap) <= 0, "a session stays within its cap");
      }
      assertEquals(
          earned, f.balanceOf(f.addresses.distributor()), "distributor holds the earnings");
      assertEquals(earned, send(f.admin.distributor().totalFunded()));
      assertEquals(toTreasury, f.balanceOf(f.treasury));
      BigInteger bonded = ZERO;
      for (Credentials n :
          List.of(
              providers.get(0),
              providers.get(1),
              verifiers.get(0),
              verifiers.get(1),
              f.sequencer())) {
        var bond = send(f.admin.registry().bondOf(n.getAddress()));
        bonded = bonded.add(bond.component1()).add(bond.component2());
      }
      assertEquals(bonded, f.balanceOf(f.addresses.registry()), "registry holds the bonds");
    }
  }

  // =================================================================== distributor claims

  record Epoch(long inc0, long inc1, long inc2, List<Integer> claims) {}

  @Provide
  Arbitrary<List<Epoch>> epochs() {
    Arbitrary<Long> inc = Arbitraries.longs().between(0, 1_000);
    Arbitrary<List<Integer>> claims = Arbitraries.integers().between(0, 2).list().ofMaxSize(5);
    return Combinators.combine(inc, inc, inc, claims)
        .as(Epoch::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(3);
  }

  /**
   * Whatever the epochs and the claim order: each claim pays exactly cumulative - claimed, a
   * repeated claim pays nothing (NothingToClaim), nobody ever receives more than its cumulative
   * balance, and the distributor's balance is funded - paid.
   */
  @Property(tries = 25)
  void claimsNeverPayTwice(@ForAll("epochs") List<Epoch> epochs) {
    ContractFixture f = ContractFixture.deploy(chain());
    var d = f.admin.distributor();
    send(d.grantRole(send(d.FUNDER_ROLE()), f.deployer.getAddress()));
    send(f.admin.token().approve(f.addresses.distributor(), MAX_UINT));
    List<String> accounts =
        List.of(f.account().getAddress(), f.account().getAddress(), f.account().getAddress());
    BigInteger[] cumulative = {ZERO, ZERO, ZERO};
    BigInteger[] paid = {ZERO, ZERO, ZERO};
    BigInteger funded = ZERO;
    long epochNo = 1;
    for (Epoch e : epochs) {
      long[] inc = {e.inc0(), e.inc1(), e.inc2()};
      BigInteger add = ZERO;
      for (int i = 0; i < 3; i++) {
        cumulative[i] = cumulative[i].add(BigInteger.valueOf(inc[i]));
        add = add.add(BigInteger.valueOf(inc[i]));
      }
      if (add.signum() > 0) {
        f.mint(f.deployer.getAddress(), add);
        send(d.fund(add));
        funded = funded.add(add);
      }
      Map<String, BigInteger> balances = new HashMap<>();
      for (int i = 0; i < 3; i++) {
        balances.put(accounts.get(i), cumulative[i]);
      }
      RewardTree tree = RewardTree.of(balances);
      send(d.postRoot(BigInteger.valueOf(epochNo++), tree.root(), tree.total()));
      for (int who : e.claims()) {
        String account = accounts.get(who);
        BigInteger owed = cumulative[who].subtract(paid[who]);
        if (owed.signum() == 0) {
          reverts(
              "NothingToClaim",
              () -> send(d.claim(account, tree.cumulativeOf(account), tree.proof(account))));
        } else {
          var ev =
              io.layerproof.contracts.generated.RewardDistributor.getClaimedEvents(
                      send(d.claim(account, tree.cumulativeOf(account), tree.proof(account))))
                  .get(0);
          assertEquals(owed, ev.amount);
          paid[who] = cumulative[who];
        }
        BigInteger total = ZERO;
        for (int i = 0; i < 3; i++) {
          assertEquals(paid[i], f.balanceOf(accounts.get(i)));
          assertEquals(paid[i], send(d.claimed(accounts.get(i))));
          assertTrue(paid[i].compareTo(cumulative[i]) <= 0);
          total = total.add(paid[i]);
        }
        assertEquals(funded.subtract(total), f.balanceOf(f.addresses.distributor()));
      }
    }
  }

  // =================================================================== slashing

  sealed interface BondOp permits Unbond, Slash, Withdraw2, AddStake {}

  record Unbond(int node, long amount) implements BondOp {}

  record Slash(int node, long amount) implements BondOp {}

  record Withdraw2(int node) implements BondOp {}

  record AddStake(int node, long amount) implements BondOp {}

  @Provide
  Arbitrary<List<BondOp>> bondOps() {
    Arbitrary<Integer> node = Arbitraries.integers().between(0, 1);
    Arbitrary<Long> amount = Arbitraries.longs().between(1, 1_500);
    Arbitrary<BondOp> unbond = Combinators.combine(node, amount).as(Unbond::new);
    Arbitrary<BondOp> slash = Combinators.combine(node, amount).as(Slash::new);
    Arbitrary<BondOp> withdraw = node.map(Withdraw2::new);
    Arbitrary<BondOp> addStake = Combinators.combine(node, amount).as(AddStake::new);
    return Arbitraries.oneOf(unbond, slash, withdraw, addStake).list().ofMinSize(1).ofMaxSize(8);
  }

  /**
   * Slashing takes min(requested, stake + unbonding), stake first, sends exactly that to the
   * slasher and nothing else moves: the registry always holds the sum of all bonds, and each node's
   * wallet + bond + slashed-from-it equals what it was given.
   */
  @Property(tries = 25)
  void slashedStakeIsFullyAccountedFor(
      @ForAll("bondOps") List<BondOp> ops,
      @ForAll @net.jqwik.api.constraints.LongRange(min = 10, max = 1_000) long stake0,
      @ForAll @net.jqwik.api.constraints.LongRange(min = 10, max = 1_000) long stake1) {
    ContractFixture f = ContractFixture.deploy(chain());
    var web3j = f.chain.web3j();
    var gas = new NodeGasProvider(web3j, TxSettings.defaults().gasCap());
    ProviderRegistry reg =
        send(
            ProviderRegistry.deploy(
                web3j,
                f.admin.transactionManager(),
                gas,
                f.addresses.token(),
                f.deployer.getAddress(),
                BigInteger.TEN,
                BigInteger.valueOf(100)));
    Credentials slasher = f.account();
    send(reg.setSlasher(slasher.getAddress()));
    ProviderRegistry asSlasher =
        ProviderRegistry.load(
            reg.getContractAddress(), web3j, f.as(slasher).transactionManager(), gas);

    BigInteger given = BigInteger.valueOf(5_000);
    List<Credentials> nodes = List.of(f.account(), f.account());
    List<ProviderRegistry> asNode = new ArrayList<>();
    BigInteger[] stake = {BigInteger.valueOf(stake0), BigInteger.valueOf(stake1)};
    BigInteger[] unbonding = {ZERO, ZERO};
    BigInteger[] slashed = {ZERO, ZERO};
    for (int i = 0; i < 2; i++) {
      Credentials n = nodes.get(i);
      f.mint(n.getAddress(), given);
      send(f.as(n).token().approve(reg.getContractAddress(), MAX_UINT));
      ProviderRegistry r =
          ProviderRegistry.load(reg.getContractAddress(), web3j, f.as(n).transactionManager(), gas);
      send(r.register(BigInteger.ONE, stake[i], h("c"), random32()));
      send(r.setRoles(ZERO)); // no roles: any amount may unbond
      asNode.add(r);
    }

    for (BondOp op : ops) {
      if (op instanceof Unbond u) {
        BigInteger amount = BigInteger.valueOf(u.amount());
        ProviderRegistry r = asNode.get(u.node());
        if (amount.compareTo(stake[u.node()]) > 0) {
          reverts("InsufficientStake", () -> send(r.requestUnbond(amount)));
        } else {
          send(r.requestUnbond(amount));
          stake[u.node()] = stake[u.node()].subtract(amount);
          unbonding[u.node()] = unbonding[u.node()].add(amount);
        }
      } else if (op instanceof Slash s) {
        BigInteger amount = BigInteger.valueOf(s.amount());
        int i = s.node();
        BigInteger fromStake = amount.min(stake[i]);
        BigInteger fromUnbonding = amount.subtract(fromStake).min(unbonding[i]);
        var ev =
            ProviderRegistry.getSlashedEvents(
                    send(asSlasher.slash(nodes.get(i).getAddress(), amount)))
                .get(0);
        assertEquals(fromStake, ev.fromStake);
        assertEquals(fromUnbonding, ev.fromUnbonding);
        stake[i] = stake[i].subtract(fromStake);
        unbonding[i] = unbonding[i].subtract(fromUnbonding);
        slashed[i] = slashed[i].add(fromStake).add(fromUnbonding);
      } else if (op instanceof Withdraw2 w) {
        ProviderRegistry r = asNode.get(w.node());
        if (unbonding[w.node()].signum() == 0) {
          reverts("NothingToWithdraw", () -> send(r.withdraw()));
        } else {
          f.increaseTime(101);
          send(r.withdraw());
          unbonding[w.node()] = ZERO;
        }
      } else if (op instanceof AddStake a) {
        BigInteger amount = BigInteger.valueOf(a.amount());
        BigInteger wallet = f.balanceOf(nodes.get(a.node()).getAddress());
        ProviderRegistry r = asNode.get(a.node());
        if (amount.compareTo(wallet) > 0) {
          reverts("ERC20InsufficientBalance", () -> send(r.addStake(amount)));
        } else {
          send(r.addStake(amount));
          stake[a.node()] = stake[a.node()].add(amount);
        }
      }

      BigInteger bonds = ZERO;
      for (int i = 0; i < 2; i++) {
        String n = nodes.get(i).getAddress();
        var bond = send(reg.bondOf(n));
        assertEquals(stake[i], bond.component1());
        assertEquals(unbonding[i], bond.component2());
        bonds = bonds.add(stake[i]).add(unbonding[i]);
        assertEquals(given, f.balanceOf(n).add(stake[i]).add(unbonding[i]).add(slashed[i]));
      }
      assertEquals(bonds, f.balanceOf(reg.getContractAddress()), "registry holds the bonds");
      assertEquals(
          slashed[0].add(slashed[1]), f.balanceOf(slasher.getAddress()), "slasher got the slashes");
    }
  }
}
