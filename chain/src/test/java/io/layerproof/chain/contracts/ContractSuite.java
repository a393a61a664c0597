package io.layerproof.chain.contracts;

import static io.layerproof.chain.contracts.ContractFixture.LPC;
import static io.layerproof.chain.contracts.ContractFixture.MAX_UINT;
import static io.layerproof.chain.contracts.ContractFixture.PROVIDER;
import static io.layerproof.chain.contracts.ContractFixture.SEQUENCER;
import static io.layerproof.chain.contracts.ContractFixture.VERIFIER;
import static io.layerproof.chain.contracts.ContractFixture.h;
import static io.layerproof.chain.contracts.ContractFixture.random32;
import static io.layerproof.chain.contracts.ContractFixture.reverts;
import static io.layerproof.chain.contracts.ContractFixture.shards;
import static io.layerproof.chain.contracts.ContractFixture.sortedByAddress;
import static io.layerproof.chain.contracts.LayerproofContracts.send;
import static java.math.BigInteger.ONE;
import static java.math.BigInteger.TWO;
import static java.math.BigInteger.ZERO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.merkle.MerkleTree;
import io.layerproof.chain.testing.ChainUnderTest;
import io.layerproof.contracts.generated.ComputeToken;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.contracts.generated.LedgerAnchor;
import io.layerproof.contracts.generated.ProviderRegistry;
import io.layerproof.contracts.generated.RewardDistributor;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Every function and every revert path of the five Layerproof contracts, against whatever chain a
 * subclass supplies. The chain starts once per test class; each test gets a fresh deployment, so
 * tests never see each other's state (time moves forward for all of them, so they only use times
 * relative to the latest block).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContractSuite {

  private static final byte[] DEFAULT_ADMIN_ROLE = new byte[32];
  private static final byte[] MINTER_ROLE = h("MINTER_ROLE");
  private static final byte[] SETTLER_ROLE = h("SETTLER_ROLE");
  private static final byte[] FUNDER_ROLE = h("FUNDER_ROLE");
  private static final BigInteger SECP256K1_N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  private ChainUnderTest chain;
  ContractFixture f;

  /** Starts the chain the suite runs against; called once per test class. */
  protected abstract ChainUnderTest startChain();

  @BeforeAll
  void startChainOnce() {
    chain = startChain();
  }

  @AfterAll
  void stopChain() {
    if (chain != null) {
      chain.close();
    }
  }

  @BeforeEach
  void freshDeployment() {
    f = ContractFixture.deploy(chain);
  }

  // =================================================================== deployment

  @Nested
  class Deployment {

    @Test
    void wiresRolesAndAddresses() {
      ContractAddresses a = f.addresses;
      String deployer = f.deployer.getAddress();
      assertEquals(a.market(), send(f.admin.registry().slasher()));
      assertTrue(send(f.admin.distributor().hasRole(FUNDER_ROLE, a.market())));
      assertTrue(send(f.admin.distributor().hasRole(SETTLER_ROLE, deployer)));
      assertTrue(send(f.admin.token().hasRole(MINTER_ROLE, deployer)));
      assertTrue(send(f.admin.market().hasRole(DEFAULT_ADMIN_ROLE, deployer)));
      assertTrue(send(f.admin.registry().hasRole(DEFAULT_ADMIN_ROLE, deployer)));
      assertEquals(a.token(), send(f.admin.market().token()));
      assertEquals(a.registry(), send(f.admin.market().registry()));
      assertEquals(a.distributor(), send(f.admin.market().distributor()));
      assertEquals(a.registry(), send(f.admin.anchor().registry()));
      assertEquals(a.token(), send(f.admin.registry().stakeToken()));
      assertEquals(a.token(), send(f.admin.distributor().token()));
      // The market lets the distributor pull payouts.
      assertEquals(MAX_UINT, send(f.admin.token().allowance(a.market(), a.distributor())));
    }

    @Test
    void loadSendsAsTheGivenAccount() {
      Credentials other = f.account();
      LayerproofContracts as =
          LayerproofContracts.load(f.chain.web3j(), f.chainId, other, f.addresses);
      assertEquals(other.getAddress(), as.account());
      ContractRevertException e =
          reverts(
              "AccessControlUnauthorizedAccount",
              () -> send(as.token().mint(other.getAddress(), ONE)));
      assertEquals(other.getAddress(), e.args().get(0));
      assertArrayEquals(MINTER_ROLE, (byte[]) e.args().get(1));
      assertTrue(e.transactionHash().isEmpty(), "caught at estimation, nothing was mined");
    }

    @Test
    void constructorsRejectZeroAddressesAndBadParameters() {
      var web3j = f.chain.web3j();
      var tm = f.admin.transactionManager();
      var gas = new NodeGasProvider(web3j, TxSettings.defaults().gasCap());
      String zero = Address.DEFAULT.getValue();
      String token = f.addresses.token();
      String me = f.deployer.getAddress();
      reverts(
          "ZeroAddress",
          () -> send(ProviderRegistry.deploy(web3j, tm, gas, zero, me, LPC, BigInteger.TEN)));
      reverts(
          "InvalidParameter",
          () -> send(ProviderRegistry.deploy(web3j, tm, gas, token, me, ZERO, BigInteger.TEN)));
      reverts(
          "InvalidParameter",
          () -> send(ProviderRegistry.deploy(web3j, tm, gas, token, me, LPC, ZERO)));
      reverts("ZeroAddress", () -> send(RewardDistributor.deploy(web3j, tm, gas, token, zero)));
      reverts("ZeroAddress", () -> send(LedgerAnchor.deploy(web3j, tm, gas, zero)));
      reverts(
          "ZeroAddress",
          () ->
              send(
                  JobMarket.deploy(
                      web3j,
                      tm,
                      gas,
                      token,
                      zero,
                      f.addresses.distributor(),
                      me,
                      f.params.marketParams())));
      ContractRevertException bad =
          reverts(
              "InvalidParameter",
              () ->
                  send(
                      JobMarket.deploy(
                          web3j,
                          tm,
                          gas,
                          token,
                          f.addresses.registry(),
                          f.addresses.distributor(),
                          me,
                          f.params.withQuorum(0).marketParams())));
      assertEquals("quorum", bad.args().get(0));
    }
  }

  // =================================================================== ComputeToken

  @Nested
  class Token {

    @Test
    void metadataAndRoles() {
      ComputeToken t = f.admin.token();
      assertEquals("Layerproof Compute", send(t.name()));
      assertEquals("LPC", send(t.symbol()));
      assertEquals(BigInteger.valueOf(18), send(t.decimals()));
      assertEquals(ZERO, send(t.totalSupply()));
      assertArrayEquals(MINTER_ROLE, send(t.MINTER_ROLE()));
      assertArrayEquals(DEFAULT_ADMIN_ROLE, send(t.getRoleAdmin(MINTER_ROLE)));
      assertTrue(send(t.supportsInterface(Numeric.hexStringToByteArray("0x7965db0b"))));
      var domain = send(t.eip712Domain());
      assertEquals("Layerproof Compute", domain.component2());
      assertEquals("1", domain.component3());
      assertEquals(BigInteger.valueOf(f.chainId), domain.component4());
      assertEquals(f.addresses.token(), domain.component5());
    }

    @Test
    void minterMintsOthersCannot() {
      Credentials alice = f.account();
      TransactionReceipt r = send(f.admin.token().mint(alice.getAddress(), LPC));
      var transfer = ComputeToken.getTransferEvents(r).get(0);
      assertEquals(Address.DEFAULT.getValue(), transfer.from);
      assertEquals(alice.getAddress(), transfer.to);
      assertEquals(LPC, f.balanceOf(alice.getAddress()));
      assertEquals(LPC, send(f.admin.token().totalSupply()));
      ContractRevertException e =
          reverts(
              "AccessControlUnauthorizedAccount",
              () -> send(f.as(alice).token().mint(alice.getAddress(), LPC)));
      assertEquals(alice.getAddress(), e.args().get(0));
    }

    @Test
    void transfersApprovalsAndTheirErrors() {
      Credentials alice = f.account();
      Credentials bob = f.account();
      f.mint(alice.getAddress(), LPC);
      ComputeToken a = f.as(alice).token();
      ComputeToken b = f.as(bob).token();
      send(a.transfer(bob.getAddress(), BigInteger.valueOf(300)));
      assertEquals(BigInteger.valueOf(300), f.balanceOf(bob.getAddress()));
      send(a.approve(bob.getAddress(), BigInteger.valueOf(100)));
      assertEquals(
          BigInteger.valueOf(100), send(a.allowance(alice.getAddress(), bob.getAddress())));
      send(b.transferFrom(alice.getAddress(), bob.getAddress(), BigInteger.valueOf(60)));
      assertEquals(BigInteger.valueOf(40), send(a.allowance(alice.getAddress(), bob.getAddress())));
      assertEquals(BigInteger.valueOf(360), f.balanceOf(bob.getAddress()));

      reverts(
          "ERC20InsufficientAllowance",
          () -> send(b.transferFrom(alice.getAddress(), bob.getAddress(), BigInteger.valueOf(41))));
      ContractRevertException e =
          reverts("ERC20InsufficientBalance", () -> send(b.transfer(alice.getAddress(), LPC)));
      assertEquals(
          List.of(bob.getAddress(), BigInteger.valueOf(360), LPC),
          e.args(),
          "sender, balance, needed");
      reverts("ERC20InvalidReceiver", () -> send(a.transfer(Address.DEFAULT.getValue(), ONE)));
      reverts("ERC20InvalidSpender", () -> send(a.approve(Address.DEFAULT.getValue(), ONE)));
    }

    @Test
    void permitSetsAllowanceOnceAndRejectsBadSignatures() {
      Credentials owner = f.account();
      Credentials spender = f.account();
      ComputeToken t = f.as(spender).token();
      assertArrayEquals(
          Eip712.domainSeparator(
              TokenPermit.NAME, TokenPermit.VERSION, f.chainId, f.addresses.token()),
          send(t.DOMAIN_SEPARATOR()));
      BigInteger value = BigInteger.valueOf(777);
      BigInteger deadline = f.now().add(BigInteger.valueOf(3600));
      Sign.SignatureData sig =
          TokenPermit.sign(
              f.chainId, f.addresses.token(), owner, spender.getAddress(), value, ZERO, deadline);
      send(
          t.permit(
              owner.getAddress(),
              spender.getAddress(),
              value,
              deadline,
              BigInteger.valueOf(sig.getV()[0] & 0xff),
              sig.getR(),
              sig.getS()));
      assertEquals(value, send(t.allowance(owner.getAddress(), spender.getAddress())));
      assertEquals(ONE, send(t.nonces(owner.getAddress())));
      // Replaying the same permit: the nonce moved on, so the signer no longer matches.
      reverts(
          "ERC2612InvalidSigner",
          () ->
              send(
                  t.permit(
                      owner.getAddress(),
                      spender.getAddress(),
                      value,
                      deadline,
                      BigInteger.valueOf(sig.getV()[0] & 0xff),
                      sig.getR(),
                      sig.getS())));
      BigInteger past = f.now().subtract(ONE);
      Sign.SignatureData expired =
          TokenPermit.sign(
              f.chainId, f.addresses.token(), owner, spender.getAddress(), value, ONE, past);
      reverts(
          "ERC2612ExpiredSignature",
          () ->
              send(
                  t.permit(
                      owner.getAddress(),
                      spender.getAddress(),
                      value,
                      past,
                      BigInteger.valueOf(expired.getV()[0] & 0xff),
                      expired.getR(),
                      expired.getS())));
    }

    @Test
    void permitRejectsMalformedSignatures() {
      Credentials owner = f.account();
      ComputeToken t = f.as(owner).token();
      BigInteger deadline = f.now().add(BigInteger.valueOf(3600));
      String spender = f.account().getAddress();
      BigInteger v = BigInteger.valueOf(27);
      byte[] r = Numeric.toBytesPadded(ONE, 32);
      // ecrecover yields no address for r = 0 ...
      reverts(
          "ECDSAInvalidSignature",
          () -> send(t.permit(owner.getAddress(), spender, ONE, deadline, v, new byte[32], r)));
      // ... and malleable high-s signatures are refused outright.
      byte[] highS = Numeric.toBytesPadded(SECP256K1_N.subtract(ONE), 32);
      reverts(
          "ECDSAInvalidSignatureS",
          () -> send(t.permit(owner.getAddress(), spender, ONE, deadline, v, r, highS)));
      assertEquals(ZERO, send(t.nonces(owner.getAddress())));
      assertArrayEquals(DEFAULT_ADMIN_ROLE, send(t.DEFAULT_ADMIN_ROLE()));
    }

    @Test
    void adminGrantsRevokesAndHoldersRenounceRoles() {
      Credentials minter = f.account();
      ComputeToken t = f.admin.token();
      send(t.grantRole(MINTER_ROLE, minter.getAddress()));
      send(f.as(minter).token().mint(minter.getAddress(), TWO));
      send(t.revokeRole(MINTER_ROLE, minter.getAddress()));
      assertFalse(send(t.hasRole(MINTER_ROLE, minter.getAddress())));
      reverts(
          "AccessControlUnauthorizedAccount",
          () -> send(f.as(minter).token().mint(minter.getAddress(), TWO)));
      reverts(
          "AccessControlUnauthorizedAccount",
          () -> send(f.as(minter).token().grantRole(MINTER_ROLE, minter.getAddress())));
      reverts(
          "AccessControlBadConfirmation",
          () -> send(t.renounceRole(MINTER_ROLE, minter.getAddress())));
      send(t.renounceRole(MINTER_ROLE, f.deployer.getAddress()));
      assertFalse(send(t.hasRole(MINTER_ROLE, f.deployer.getAddress())));
    }
  }

  // =================================================================== ProviderRegistry

  @Nested
  class Registry {

    @Test
    void registerBondsStakeAndRecordsTheNode() {
      Credentials c = f.account();
      BigInteger stake = f.params.minStake().add(LPC);
      f.mint(c.getAddress(), stake);
      LayerproofContracts n = f.as(c);
      send(n.token().approve(f.addresses.registry(), stake));
      byte[] key = random32();
      byte[] capacity = h("8 GB, 40 tok/s");
      TransactionReceipt r =
          send(
              n.registry().register(BigInteger.valueOf(PROVIDER | VERIFIER), stake, capacity, key));

      var ev = ProviderRegistry.getNodeRegisteredEvents(r).get(0);
      assertEquals(c.getAddress(), ev.node);
      assertEquals(BigInteger.valueOf(3), ev.roles);
      assertEquals(stake, ev.stake);
      assertArrayEquals(key, ev.nodeKey);
      ProviderRegistry.Node info = send(f.admin.registry().nodeInfo(c.getAddress()));
      assertEquals(stake, info.stake);
      assertEquals(ZERO, info.unbonding);
      assertTrue(info.registered);
      assertArrayEquals(capacity, info.capacityHash);
      assertArrayEquals(key, info.nodeKey);
      assertEquals(c.getAddress(), send(f.admin.registry().nodeOfKey(key)));
      assertEquals(stake, f.balanceOf(f.addresses.registry()));
      assertEquals(ZERO, f.balanceOf(c.getAddress()));

      ProviderRegistry reg = f.admin.registry();
      assertTrue(send(reg.isActive(c.getAddress())));
      assertTrue(send(reg.hasNodeRole(c.getAddress(), BigInteger.valueOf(PROVIDER))));
      assertTrue(send(reg.isActiveAs(c.getAddress(), BigInteger.valueOf(PROVIDER | VERIFIER))));
      assertFalse(send(reg.hasNodeRole(c.getAddress(), BigInteger.valueOf(SEQUENCER))));
      assertFalse(send(reg.hasNodeRole(c.getAddress(), ZERO)));
      assertFalse(send(reg.isActiveAs(c.getAddress(), BigInteger.valueOf(SEQUENCER | PROVIDER))));
      assertFalse(send(reg.isActive(f.account().getAddress())));
      assertEquals(BigInteger.valueOf(7), send(reg.ALL_ROLES()));
      assertEquals(BigInteger.ONE, send(reg.ROLE_PROVIDER()));
      assertEquals(TWO, send(reg.ROLE_VERIFIER()));
      assertEquals(BigInteger.valueOf(4), send(reg.ROLE_SEQUENCER()));
    }

    @Test
    void registerRejectsBadInput() {
      Credentials c = f.account();
      BigInteger stake = f.params.minStake();
      f.mint(c.getAddress(), stake.multiply(TWO));
      ProviderRegistry reg = f.as(c).registry();
      send(f.as(c).token().approve(f.addresses.registry(), MAX_UINT));
      reverts("InvalidRoles", () -> send(reg.register(ZERO, stake, h("c"), random32())));
      reverts(
          "InvalidRoles",
          () -> send(reg.register(BigInteger.valueOf(8), stake, h("c"), random32())));
      ContractRevertException low =
          reverts(
              "StakeBelowMinimum",
              () -> send(reg.register(ONE, stake.subtract(ONE), h("c"), random32())));
      assertEquals(List.of(stake.subtract(ONE), stake), low.args());
      reverts("ZeroNodeKey", () -> send(reg.register(ONE, stake, h("c"), new byte[32])));
      Credentials other = f.node(PROVIDER);
      byte[] taken = send(f.admin.registry().nodeInfo(other.getAddress())).nodeKey;
      ContractRevertException dup =
          reverts("NodeKeyTaken", () -> send(reg.register(ONE, stake, h("c"), taken)));
      assertEquals(other.getAddress(), dup.args().get(1));
      send(reg.register(ONE, stake, h("c"), random32()));
      reverts("AlreadyRegistered", () -> send(reg.register(ONE, stake, h("c"), random32())));

      Credentials poor = f.account();
      f.mint(poor.getAddress(), stake);
      reverts(
          "ERC20InsufficientAllowance",
          () -> send(f.as(poor).registry().register(ONE, stake, h("c"), random32())));
    }

    @Test
    void addStakeUpdateCapacityAndSetRoles() {
      Credentials c = f.node(PROVIDER);
      ProviderRegistry reg = f.as(c).registry();
      f.mint(c.getAddress(), LPC);
      send(f.as(c).token().approve(f.addresses.registry(), LPC));
      var added = ProviderRegistry.getStakeAddedEvents(send(reg.addStake(LPC))).get(0);
      assertEquals(f.params.minStake().add(LPC), added.stake);
      reverts("ZeroAmount", () -> send(reg.addStake(ZERO)));

      byte[] cap = h("new capacity");
      var capEv = ProviderRegistry.getCapacityUpdatedEvents(send(reg.updateCapacity(cap))).get(0);
      assertArrayEquals(cap, capEv.capacityHash);
      assertArrayEquals(cap, send(reg.nodeInfo(c.getAddress())).capacityHash);

      send(reg.setRoles(BigInteger.valueOf(SEQUENCER)));
      assertTrue(send(reg.isActiveAs(c.getAddress(), BigInteger.valueOf(SEQUENCER))));
      assertFalse(send(reg.hasNodeRole(c.getAddress(), BigInteger.valueOf(PROVIDER))));
      reverts("InvalidRoles", () -> send(reg.setRoles(BigInteger.valueOf(8))));
      send(reg.setRoles(ZERO));
      assertFalse(send(reg.isActive(c.getAddress())));

      // Raising the minimum leaves the node under it: it cannot take a role back.
      send(f.admin.registry().setMinStake(f.params.minStake().multiply(BigInteger.TEN)));
      reverts("StakeBelowMinimum", () -> send(reg.setRoles(ONE)));

      ProviderRegistry stranger = f.as(f.account()).registry();
      reverts("NotRegistered", () -> send(stranger.addStake(ONE)));
      reverts("NotRegistered", () -> send(stranger.updateCapacity(cap)));
      reverts("NotRegistered", () -> send(stranger.setRoles(ONE)));
      reverts("NotRegistered", () -> send(stranger.requestUnbond(ONE)));
      reverts("NotRegistered", () -> send(stranger.withdraw()));
    }

    @Test
    void unbondingWaitsForTheDelayAndKeepsActiveNodesAboveMinimum() {
      BigInteger min = f.params.minStake();
      Credentials c = f.node(PROVIDER, min.add(LPC.multiply(BigInteger.TEN)));
      ProviderRegistry reg = f.as(c).registry();
      reverts("ZeroAmount", () -> send(reg.requestUnbond(ZERO)));
      reverts("InsufficientStake", () -> send(reg.requestUnbond(min.multiply(TWO))));
      reverts(
          "StakeBelowMinimum", () -> send(reg.requestUnbond(LPC.multiply(BigInteger.valueOf(11)))));
      reverts("NothingToWithdraw", () -> send(reg.withdraw()));

      var ev =
          ProviderRegistry.getUnbondRequestedEvents(
                  send(reg.requestUnbond(LPC.multiply(BigInteger.valueOf(4)))))
              .get(0);
      assertEquals(LPC.multiply(BigInteger.valueOf(4)), ev.unbonding);
      BigInteger readyAt = ev.readyAt;
      assertTrue(readyAt.compareTo(f.now().add(BigInteger.valueOf(86_000))) > 0);
      var bond = send(reg.bondOf(c.getAddress()));
      assertEquals(min.add(LPC.multiply(BigInteger.valueOf(6))), bond.component1());
      assertEquals(LPC.multiply(BigInteger.valueOf(4)), bond.component2());
      ContractRevertException early = reverts("UnbondingNotReady", () -> send(reg.withdraw()));
      assertEquals(readyAt, early.args().get(0));

      f.increaseTime(86_400 + 1);
      var w = ProviderRegistry.getWithdrawnEvents(send(reg.withdraw())).get(0);
      assertEquals(LPC.multiply(BigInteger.valueOf(4)), w.amount);
      assertEquals(LPC.multiply(BigInteger.valueOf(4)), f.balanceOf(c.getAddress()));
      reverts("NothingToWithdraw", () -> send(reg.withdraw()));

      // With no roles the whole stake may leave; a second request restarts the clock.
      send(reg.setRoles(ZERO));
      send(reg.requestUnbond(LPC));
      f.increaseTime(43_200);
      send(reg.requestUnbond(min.add(LPC.multiply(BigInteger.valueOf(5)))));
      f.increaseTime(43_200 + 10);
      reverts("UnbondingNotReady", () -> send(reg.withdraw()));
      f.increaseTime(43_200);
      send(reg.withdraw());
      assertEquals(ZERO, send(reg.bondOf(c.getAddress())).component1());
      assertEquals(ZERO, send(reg.bondOf(c.getAddress())).component2());
      assertEquals(min.add(LPC.multiply(BigInteger.TEN)), f.balanceOf(c.getAddress()));
    }

    @Test
    void onlyTheSlasherSlashesStakeThenUnbondingAndGetsTheTokens() {
      // A registry whose slasher is a plain account, so slash can be driven directly.
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
                  LPC,
                  BigInteger.valueOf(1000)));
      Credentials slasher = f.account();
      Credentials node = f.account();
      f.mint(node.getAddress(), LPC.multiply(BigInteger.TEN));
      LayerproofContracts n = f.as(node);
      send(n.token().approve(reg.getContractAddress(), MAX_UINT));
      ProviderRegistry asNode =
          ProviderRegistry.load(reg.getContractAddress(), web3j, n.transactionManager(), gas);
      send(asNode.register(ONE, LPC.multiply(BigInteger.TEN), h("c"), random32()));
      send(asNode.setRoles(ZERO));
      send(asNode.requestUnbond(LPC.multiply(BigInteger.valueOf(4)))); // stake 6, unbonding 4

      ProviderRegistry asSlasher =
          ProviderRegistry.load(
              reg.getContractAddress(), web3j, f.as(slasher).transactionManager(), gas);
      ContractRevertException notYet =
          reverts("NotSlasher", () -> send(asSlasher.slash(node.getAddress(), ONE)));
      assertEquals(slasher.getAddress(), notYet.args().get(0));
      reverts(
          "AccessControlUnauthorizedAccount",
          () -> send(asSlasher.setSlasher(slasher.getAddress())));
      reverts("ZeroAddress", () -> send(reg.setSlasher(Address.DEFAULT.getValue())));
      send(reg.setSlasher(slasher.getAddress()));
      reverts("SlasherAlreadySet", () -> send(reg.setSlasher(f.deployer.getAddress())));
      reverts("NotRegistered", () -> send(asSlasher.slash(f.account().getAddress(), ONE)));

      // 8 LPC: 6 from stake, 2 from unbonding; the return value says 8.
      BigInteger eight = LPC.multiply(BigInteger.valueOf(8));
      var out =
          f.staticCall(
              f.as(slasher),
              reg.getContractAddress(),
              new Function(
                  "slash",
                  List.of(new Address(node.getAddress()), new Uint256(eight)),
                  List.of(new TypeReference<Uint256>() {})));
      assertEquals(eight, out.get(0).getValue());
      var ev =
          ProviderRegistry.getSlashedEvents(send(asSlasher.slash(node.getAddress(), eight))).get(0);
      assertEquals(LPC.multiply(BigInteger.valueOf(6)), ev.fromStake);
      assertEquals(TWO.multiply(LPC), ev.fromUnbonding);
      assertEquals(eight, f.balanceOf(slasher.getAddress()));
      // Asking for more than is left takes what is left (2) and says so.
      BigInteger rest =
          (BigInteger)
              f.staticCall(
                      f.as(slasher),
                      reg.getContractAddress(),
                      new Function(
                          "slash",
                          List.of(
                              new Address(node.getAddress()),
                              new Uint256(LPC.multiply(BigInteger.TEN))),
                          List.of(new TypeReference<Uint256>() {})))
                  .get(0)
                  .getValue();
      assertEquals(TWO.multiply(LPC), rest);
      send(asSlasher.slash(node.getAddress(), LPC.multiply(BigInteger.TEN)));
      assertEquals(LPC.multiply(BigInteger.TEN), f.balanceOf(slasher.getAddress()));
      assertEquals(ZERO, f.balanceOf(reg.getContractAddress()));
      // Nothing left: a slash of 0 moves nothing.
      var none =
          ProviderRegistry.getSlashedEvents(send(asSlasher.slash(node.getAddress(), ONE))).get(0);
      assertEquals(ZERO, none.fromStake.add(none.fromUnbonding));
    }

    @Test
    void adminSetsBoundedParameters() {
      ProviderRegistry reg = f.admin.registry();
      var ms = ProviderRegistry.getMinStakeSetEvents(send(reg.setMinStake(LPC))).get(0);
      assertEquals(LPC, ms.minStake);
      assertEquals(LPC, send(reg.minStake()));
      send(reg.setUnbondingDelay(BigInteger.valueOf(3600)));
      assertEquals(BigInteger.valueOf(3600), send(reg.unbondingDelay()));
      assertEquals(BigInteger.valueOf(365L * 86_400), send(reg.MAX_UNBONDING_DELAY()));
      ContractRevertException e = reverts("InvalidParameter", () -> send(reg.setMinStake(ZERO)));
      assertEquals("minStake", e.args().get(0));
      reverts("InvalidParameter", () -> send(reg.setUnbondingDelay(ZERO)));
      reverts(
          "InvalidParameter",
          () -> send(reg.setUnbondingDelay(BigInteger.valueOf(365L * 86_400 + 1))));
      ProviderRegistry stranger = f.as(f.account()).registry();
      reverts("AccessControlUnauthorizedAccount", () -> send(stranger.setMinStake(ONE)));
      reverts("AccessControlUnauthorizedAccount", () -> send(stranger.setUnbondingDelay(ONE)));
    }
  }

  // =================================================================== JobMarket: escrow

  @Nested
  class Escrow {

    @Test
    void depositAndWithdrawTheFreeBalance() {
      Credentials b = f.buyer(ZERO);
      f.mint(b.getAddress(), LPC.multiply(BigInteger.TEN));
      JobMarket m = f.as(b).market();
      var d =
          JobMarket.getDepositedEvents(send(m.deposit(LPC.multiply(BigInteger.valueOf(4))))).get(0);
      assertEquals(LPC.multiply(BigInteger.valueOf(4)), d.balance);
      assertEquals(LPC.multiply(BigInteger.valueOf(4)), f.balanceOf(f.addresses.market()));
      reverts("ZeroAmount", () -> send(m.deposit(ZERO)));
      reverts("ZeroAmount", () -> send(m.withdraw(ZERO)));
      ContractRevertException over =
          reverts(
              "InsufficientFreeBalance",
              () -> send(m.withdraw(LPC.multiply(BigInteger.valueOf(5)))));
      assertEquals(
          List.of(LPC.multiply(BigInteger.valueOf(4)), LPC.multiply(BigInteger.valueOf(5))),
          over.args());
      var w = JobMarket.getWithdrawnEvents(send(m.withdraw(LPC))).get(0);
      assertEquals(LPC.multiply(BigInteger.valueOf(3)), w.balance);
      assertEquals(LPC.multiply(BigInteger.valueOf(7)), f.balanceOf(b.getAddress()));

      Credentials noAllowance = f.account();
      f.mint(noAllowance.getAddress(), LPC);
      reverts("ERC20InsufficientAllowance", () -> send(f.as(noAllowance).market().deposit(LPC)));
    }

    @Test
    void lockedEscrowCannotBeWithdrawn() {
      Credentials b = f.buyer(LPC);
      f.openJob(b, LPC.divide(BigInteger.valueOf(4)), 1);
      assertEquals(LPC.divide(BigInteger.valueOf(4)), f.locked(b.getAddress()));
      BigInteger free = LPC.subtract(LPC.divide(BigInteger.valueOf(4)));
      assertEquals(free, f.free(b.getAddress()));
      JobMarket m = f.as(b).market();
      reverts("InsufficientFreeBalance", () -> send(m.withdraw(free.add(ONE))));
      send(m.withdraw(free));
      assertEquals(LPC.divide(BigInteger.valueOf(4)), f.escrowBalance(b.getAddress()));
    }

    @Test
    void depositWithPermitNeedsNoApprovalAndSurvivesAFrontRunPermit() {
      Credentials b = f.account();
      f.mint(b.getAddress(), LPC.multiply(BigInteger.TEN));
      JobMarket m = f.as(b).market();
      BigInteger deadline = f.now().add(BigInteger.valueOf(3600));
      Sign.SignatureData sig =
          TokenPermit.sign(
              f.chainId, f.addresses.token(), b, f.addresses.market(), LPC, ZERO, deadline);
      send(
          m.depositWithPermit(
              LPC, deadline, BigInteger.valueOf(sig.getV()[0] & 0xff), sig.getR(), sig.getS()));
      assertEquals(LPC, f.escrowBalance(b.getAddress()));

      // Someone submits the permit first; the deposit still goes through on the allowance.
      Sign.SignatureData sig2 =
          TokenPermit.sign(
              f.chainId, f.addresses.token(), b, f.addresses.market(), LPC, ONE, deadline);
      send(
          f.as(f.account())
              .token()
              .permit(
                  b.getAddress(),
                  f.addresses.market(),
                  LPC,
                  deadline,
                  BigInteger.valueOf(sig2.getV()[0] & 0xff),
                  sig2.getR(),
                  sig2.getS()));
      send(
          m.depositWithPermit(
              LPC, deadline, BigInteger.valueOf(sig2.getV()[0] & 0xff), sig2.getR(), sig2.getS()));
      assertEquals(TWO.multiply(LPC), f.escrowBalance(b.getAddress()));

      // A bad permit with no allowance fails on the transfer.
      reverts(
          "ERC20InsufficientAllowance",
          () ->
              send(
                  m.depositWithPermit(
                      LPC, deadline, BigInteger.valueOf(27), random32(), random32())));
    }

    @Test
    void cancelNonceVoidsASignedRequest() {
      Credentials b = f.buyer(LPC);
      JobMarket.JobRequest req = f.request(LPC);
      var ev =
          JobMarket.getNonceCancelledEvents(send(f.as(b).market().cancelNonce(req.nonce))).get(0);
      assertEquals(req.nonce, ev.nonce);
      assertTrue(send(f.admin.market().nonceUsed(b.getAddress(), req.nonce)));
      reverts("NonceAlreadyUsed", () -> send(f.as(b).market().cancelNonce(req.nonce)));
      Credentials p = f.node(PROVIDER);
      Credentials v = f.node(VERIFIER);
      reverts(
          "NonceAlreadyUsed",
          () ->
              send(
                  f.as(f.sequencer())
                      .market()
                      .openJob(
                          b.getAddress(),
                          req,
                          f.sign(req, b),
                          shards(List.of(p)),
                          v.getAddress())));
    }
  }

  // =================================================================== JobMarket: openJob

  @Nested
  class OpenJob {

    @Test
    void opensTheSignedRequestAndLocksMaxPrice() {
      Credentials b = f.buyer(LPC);
      Credentials p1 = f.node(PROVIDER);
      Credentials p2 = f.node(PROVIDER);
      Credentials v = f.node(VERIFIER);
      JobMarket.JobRequest req = f.request(LPC.divide(BigInteger.TEN));
      byte[] expectedId = JobMarketEip712.jobRequestDigest(f.chainId, f.addresses.market(), req);
      assertArrayEquals(expectedId, send(f.admin.market().hashJobRequest(req)));
      TransactionReceipt r =
          send(
              f.as(f.sequencer())
                  .market()
                  .openJob(
                      b.getAddress(),
                      req,
                      f.sign(req, b),
                      shards(List.of(p1, p2)),
                      v.getAddress()));

      var opened = JobMarket.getJobOpenedEvents(r).get(0);
      assertArrayEquals(expectedId, opened.jobId);
      assertEquals(b.getAddress(), opened.buyer);
      assertEquals(v.getAddress(), opened.verifier);
      assertEquals(f.sequencer().getAddress(), opened.sequencer);
      assertArrayEquals(req.model, opened.model);
      assertArrayEquals(req.messagesHash, opened.messagesHash);
      assertEquals(req.maxTokens, opened.maxTokens);
      assertEquals(req.maxPrice, opened.maxPrice);
      assertEquals(req.nonce, opened.nonce);
      assertEquals(req.expiry, opened.expiry);
      var assigned = JobMarket.getShardAssignedEvents(r);
      assertEquals(2, assigned.size());
      assertEquals(p2.getAddress(), assigned.get(1).provider);
      assertEquals(BigInteger.valueOf(8), assigned.get(1).startLayer);

      JobMarket.Job job = send(f.admin.market().jobInfo(expectedId));
      assertEquals(b.getAddress(), job.buyer);
      assertEquals(v.getAddress(), job.verifier);
      assertEquals(ONE, job.status);
      assertEquals(TWO, job.shardCount);
      assertEquals(req.maxPrice, job.maxPrice);
      assertEquals(f.params.unitPrice(), job.unitPrice);
      assertEquals(BigInteger.valueOf(3600), job.challengeWindow);
      assertEquals(BigInteger.valueOf(500), job.verifierFeeBps);
      assertEquals(f.now().add(BigInteger.valueOf(600)), job.commitDeadline);
      JobMarket.Shard s = send(f.admin.market().shardInfo(expectedId, ONE));
      assertEquals(p2.getAddress(), s.provider);
      assertEquals(BigInteger.valueOf(16), s.endLayer);
      assertArrayEquals(new byte[32], s.root);
      assertEquals(req.maxPrice, f.locked(b.getAddress()));
      assertTrue(send(f.admin.market().nonceUsed(b.getAddress(), req.nonce)));
      // With no commitments the window is counted from the commit deadline.
      assertEquals(
          job.commitDeadline.add(BigInteger.valueOf(3600)),
          send(f.admin.market().challengeEndsAt(expectedId)));
    }

    @Test
    void rejectsEveryInvalidRequest() {
      Credentials b = f.buyer(LPC);
      Credentials p = f.node(PROVIDER);
      Credentials v = f.node(VERIFIER);
      JobMarket seq = f.as(f.sequencer()).market();
      var one = shards(List.of(p));
      String buyer = b.getAddress();
      String verifier = v.getAddress();

      JobMarket.JobRequest ok = f.request(LPC.divide(BigInteger.TEN));
      reverts(
          "NotSequencer",
          () -> send(f.as(p).market().openJob(buyer, ok, f.sign(ok, b), one, verifier)));
      JobMarket.JobRequest expired =
          new JobMarket.JobRequest(
              ok.model,
              ok.messagesHash,
              ok.maxTokens,
              ok.maxPrice,
              ok.nonce,
              f.now().subtract(ONE));
      reverts(
          "RequestExpired",
          () -> send(seq.openJob(buyer, expired, f.sign(expired, b), one, verifier)));
      JobMarket.JobRequest free =
          new JobMarket.JobRequest(
              ok.model, ok.messagesHash, ok.maxTokens, ZERO, ok.nonce, ok.expiry);
      reverts("ZeroMaxPrice", () -> send(seq.openJob(buyer, free, f.sign(free, b), one, verifier)));
      Credentials mallory = f.account();
      reverts(
          "InvalidBuyerSignature",
          () -> send(seq.openJob(buyer, ok, f.sign(ok, mallory), one, verifier)));
      reverts(
          "InvalidBuyerSignature", () -> send(seq.openJob(buyer, ok, new byte[64], one, verifier)));
      JobMarket.JobRequest tooMuch = f.request(LPC.add(ONE));
      ContractRevertException poor =
          reverts(
              "InsufficientFreeBalance",
              () -> send(seq.openJob(buyer, tooMuch, f.sign(tooMuch, b), one, verifier)));
      assertEquals(List.of(LPC, LPC.add(ONE)), poor.args());

      reverts("NoShards", () -> send(seq.openJob(buyer, ok, f.sign(ok, b), List.of(), verifier)));
      List<JobMarket.ShardAssignment> many = new ArrayList<>();
      for (int i = 0; i < 17; i++) {
        many.add(
            new JobMarket.ShardAssignment(
                p.getAddress(), BigInteger.valueOf(i), BigInteger.valueOf(i + 1)));
      }
      reverts("TooManyShards", () -> send(seq.openJob(buyer, ok, f.sign(ok, b), many, verifier)));
      Credentials p2 = f.node(PROVIDER);
      var notFromZero = List.of(new JobMarket.ShardAssignment(p.getAddress(), ONE, TWO));
      var empty = List.of(new JobMarket.ShardAssignment(p.getAddress(), ZERO, ZERO));
      var gap =
          List.of(
              new JobMarket.ShardAssignment(p.getAddress(), ZERO, BigInteger.valueOf(4)),
              new JobMarket.ShardAssignment(
                  p2.getAddress(), BigInteger.valueOf(5), BigInteger.valueOf(8)));
      ContractRevertException gapErr =
          reverts(
              "InvalidLayerRange",
              () -> send(seq.openJob(buyer, ok, f.sign(ok, b), gap, verifier)));
      assertEquals(ONE, gapErr.args().get(0));
      reverts(
          "InvalidLayerRange",
          () -> send(seq.openJob(buyer, ok, f.sign(ok, b), notFromZero, verifier)));
      reverts(
          "InvalidLayerRange", () -> send(seq.openJob(buyer, ok, f.sign(ok, b), empty, verifier)));
      var verifierOnly = shards(List.of(v));
      reverts(
          "NotActiveProvider",
          () ->
              send(seq.openJob(buyer, ok, f.sign(ok, b), shards(List.of(f.account())), verifier)));
      Credentials pv = f.node(PROVIDER | VERIFIER);
      reverts(
          "VerifierIsProvider",
          () -> send(seq.openJob(buyer, ok, f.sign(ok, b), shards(List.of(pv)), pv.getAddress())));
      reverts(
          "NotActiveVerifier",
          () -> send(seq.openJob(buyer, ok, f.sign(ok, b), one, p2.getAddress())));
      reverts(
          "NotActiveProvider",
          () -> send(seq.openJob(buyer, ok, f.sign(ok, b), verifierOnly, pv.getAddress())));

      send(seq.openJob(buyer, ok, f.sign(ok, b), one, verifier));
      ContractRevertException replay =
          reverts(
              "NonceAlreadyUsed", () -> send(seq.openJob(buyer, ok, f.sign(ok, b), one, verifier)));
      assertEquals(List.of(buyer, ok.nonce), replay.args());
    }
  }

  // =================================================================== JobMarket: sessions

  @Nested
  class Sessions {

    private JobMarket.JobRequest withNonce(JobMarket.JobRequest r, BigInteger nonce) {
      return new JobMarket.JobRequest(
          r.model, r.messagesHash, r.maxTokens, r.maxPrice, nonce, r.expiry);
    }

    @Test
    void hashesAndConstantsMatchTheJavaSigner() {
      JobMarket m = f.admin.market();
      assertArrayEquals(h(JobMarketEip712.SESSION_GRANT_TYPE), send(m.SESSION_GRANT_TYPEHASH()));
      assertArrayEquals(h(JobMarketEip712.REVOKE_SESSION_TYPE), send(m.REVOKE_SESSION_TYPEHASH()));
      JobMarket.SessionGrant g =
          new JobMarket.SessionGrant(
              random32(), LPC.multiply(BigInteger.valueOf(3)), TWO.pow(64).subtract(ONE), TWO);
      assertArrayEquals(
          JobMarketEip712.sessionGrantDigest(f.chainId, f.addresses.market(), g),
          send(m.hashSessionGrant(g)));
      byte[] id = random32();
      BigInteger nonce = BigInteger.valueOf(77);
      assertArrayEquals(
          JobMarketEip712.revokeSessionDigest(f.chainId, f.addresses.market(), id, nonce),
          send(m.hashRevokeSession(id, nonce)));
      String nobody = f.account().getAddress();
      assertEquals(ZERO, send(m.sessionSpent(nobody, id)));
      assertFalse(send(m.sessionRevoked(nobody, id)));
    }

    @Test
    void aSessionOpensJobsAndChargesTheLockedMaxPriceUpToItsCap() {
      Credentials b = f.buyer(LPC);
      BigInteger cap = LPC.divide(TWO);
      JobMarket.SessionGrant g = f.grant(cap, 3_600);
      byte[] grantSig = f.sign(g, b);
      Credentials p = f.node(PROVIDER);
      Credentials v = f.node(VERIFIER);
      JobMarket seq = f.as(f.sequencer()).market();
      var one = shards(List.of(p));
      String buyer = b.getAddress();

      BigInteger first = LPC.divide(BigInteger.TEN);
      JobMarket.JobRequest r1 = f.request(first);
      TransactionReceipt t1 =
          send(seq.openJobWithSession(buyer, g, grantSig, r1, one, v.getAddress()));
      byte[] id1 = JobMarketEip712.jobRequestDigest(f.chainId, f.addresses.market(), r1);
      var opened = JobMarket.getJobOpenedEvents(t1).get(0);
      assertArrayEquals(id1, opened.jobId);
      assertEquals(buyer, opened.buyer);
      assertEquals(f.sequencer().getAddress(), opened.sequencer);
      assertEquals(first, opened.maxPrice);
      var charged = JobMarket.getSessionChargedEvents(t1).get(0);
      assertArrayEquals(id1, charged.jobId);
      assertEquals(buyer, charged.buyer);
      assertArrayEquals(g.sessionId, charged.sessionId);
      assertEquals(first, charged.amount);
      assertEquals(first, charged.spent);
      assertEquals(first, f.spent(b, g));
      assertEquals(first, f.locked(buyer));
      assertTrue(send(f.admin.market().nonceUsed(buyer, r1.nonce)));
      JobMarket.Job job = send(f.admin.market().jobInfo(id1));
      assertEquals(buyer, job.buyer);
      assertEquals(ONE, job.status);
      assertEquals(first, job.maxPrice);

      BigInteger second = LPC.divide(BigInteger.valueOf(5));
      JobMarket.JobRequest r2 = f.request(second);
      var charged2 =
          JobMarket.getSessionChargedEvents(
                  send(seq.openJobWithSession(buyer, g, grantSig, r2, one, v.getAddress())))
              .get(0);
      BigInteger spent = first.add(second);
      assertEquals(second, charged2.amount);
      assertEquals(spent, charged2.spent);
      assertEquals(spent, f.spent(b, g));
      assertEquals(spent, f.locked(buyer));
      assertEquals(LPC.subtract(spent), f.free(buyer));

      // One wei over the cap: reverts with the numbers, and nothing moves.
      BigInteger left = cap.subtract(spent);
      JobMarket.JobRequest over = f.request(left.add(ONE));
      BigInteger marketTokens = f.balanceOf(f.addresses.market());
      ContractRevertException e =
          reverts(
              "SessionCapExceeded",
              () -> send(seq.openJobWithSession(buyer, g, grantSig, over, one, v.getAddress())));
      assertEquals(List.of(spent, left.add(ONE), cap), e.args());
      assertEquals(spent, f.spent(b, g));
      assertEquals(spent, f.locked(buyer));
      assertEquals(LPC, f.escrowBalance(buyer));
      assertEquals(marketTokens, f.balanceOf(f.addresses.market()));
      assertFalse(send(f.admin.market().nonceUsed(buyer, over.nonce)));
      byte[] overId = JobMarketEip712.jobRequestDigest(f.chainId, f.addresses.market(), over);
      assertEquals(ZERO, send(f.admin.market().jobInfo(overId)).status);

      // Exactly up to the cap is allowed; then not one wei more.
      JobMarket.JobRequest rest = f.request(left);
      send(seq.openJobWithSession(buyer, g, grantSig, rest, one, v.getAddress()));
      assertEquals(cap, f.spent(b, g));
      assertEquals(cap, f.locked(buyer));
      JobMarket.JobRequest oneWei = f.request(ONE);
      reverts(
          "SessionCapExceeded",
          () -> send(seq.openJobWithSession(buyer, g, grantSig, oneWei, one, v.getAddress())));
      // The cap binds the session, not the buyer: a signed request still opens from the rest.
      send(seq.openJob(buyer, oneWei, f.sign(oneWei, b), one, v.getAddress()));
      assertEquals(cap.add(ONE), f.locked(buyer));
      assertEquals(cap, f.spent(b, g));
    }

    @Test
    void aSecondGrantWithTheSameSessionIdSharesTheSpentTotal() {
      Credentials b = f.buyer(LPC);
      JobMarket.SessionGrant big = f.grant(LPC.divide(TWO), 3_600);
      f.openWithSession(b, big, LPC.divide(BigInteger.valueOf(4)), 1);
      JobMarket.SessionGrant small =
          new JobMarket.SessionGrant(
              big.sessionId, LPC.divide(BigInteger.TEN), big.expiry, big.nonce.add(ONE));
      ContractRevertException e =
          reverts("SessionCapExceeded", () -> f.openWithSession(b, small, ONE, 1));
      assertEquals(
          List.of(LPC.divide(BigInteger.valueOf(4)), ONE, LPC.divide(BigInteger.TEN)), e.args());
      assertEquals(LPC.divide(BigInteger.valueOf(4)), f.spent(b, big));
    }

    @Test
    void rejectsBadGrantsCallersAndRequests() {
      Credentials b = f.buyer(LPC);
      Credentials p = f.node(PROVIDER);
      Credentials v = f.node(VERIFIER);
      JobMarket seq = f.as(f.sequencer()).market();
      var one = shards(List.of(p));
      String buyer = b.getAddress();
      String verifier = v.getAddress();
      JobMarket.SessionGrant g = f.grant(LPC, 3_600);
      byte[] grantSig = f.sign(g, b);
      JobMarket.JobRequest ok = f.request(LPC.divide(BigInteger.TEN));

      ContractRevertException notSeq =
          reverts(
              "NotSequencer",
              () ->
                  send(f.as(p).market().openJobWithSession(buyer, g, grantSig, ok, one, verifier)));
      assertEquals(p.getAddress(), notSeq.args().get(0));
      // A grant the buyer did not sign: another key, garbage, or a raised cap.
      Credentials mallory = f.buyer(LPC);
      ContractRevertException wrong =
          reverts(
              "InvalidSessionSignature",
              () -> send(seq.openJobWithSession(buyer, g, f.sign(g, mallory), ok, one, verifier)));
      assertEquals(buyer, wrong.args().get(0));
      reverts(
          "InvalidSessionSignature",
          () -> send(seq.openJobWithSession(buyer, g, new byte[65], ok, one, verifier)));
      JobMarket.SessionGrant raised =
          new JobMarket.SessionGrant(g.sessionId, LPC.multiply(TWO), g.expiry, g.nonce);
      reverts(
          "InvalidSessionSignature",
          () -> send(seq.openJobWithSession(buyer, raised, grantSig, ok, one, verifier)));
      // The buyer's grant opens nothing for another buyer.
      reverts(
          "InvalidSessionSignature",
          () -> send(seq.openJobWithSession(mallory.getAddress(), g, grantSig, ok, one, verifier)));
      JobMarket.SessionGrant zero =
          new JobMarket.SessionGrant(new byte[32], LPC, g.expiry, g.nonce);
      reverts(
          "ZeroSessionId",
          () -> send(seq.openJobWithSession(buyer, zero, f.sign(zero, b), ok, one, verifier)));
      JobMarket.SessionGrant stale = new JobMarket.SessionGrant(random32(), LPC, f.now(), ONE);
      ContractRevertException expired =
          reverts(
              "SessionExpired",
              () ->
                  send(seq.openJobWithSession(buyer, stale, f.sign(stale, b), ok, one, verifier)));
      assertArrayEquals(stale.sessionId, (byte[]) expired.args().get(0));
      assertEquals(stale.expiry, expired.args().get(1));
      // openJob's own checks still apply.
      JobMarket.JobRequest late =
          new JobMarket.JobRequest(
              ok.model,
              ok.messagesHash,
              ok.maxTokens,
              ok.maxPrice,
              ok.nonce,
              f.now().subtract(ONE));
      reverts(
          "RequestExpired",
          () -> send(seq.openJobWithSession(buyer, g, grantSig, late, one, verifier)));
      JobMarket.JobRequest free =
          new JobMarket.JobRequest(
              ok.model, ok.messagesHash, ok.maxTokens, ZERO, ok.nonce, ok.expiry);
      reverts(
          "ZeroMaxPrice",
          () -> send(seq.openJobWithSession(buyer, g, grantSig, free, one, verifier)));
      JobMarket.JobRequest poor = f.request(LPC.add(ONE));
      JobMarket.SessionGrant rich = f.grant(LPC.multiply(TWO), 3_600);
      ContractRevertException noFunds =
          reverts(
              "InsufficientFreeBalance",
              () ->
                  send(seq.openJobWithSession(buyer, rich, f.sign(rich, b), poor, one, verifier)));
      assertEquals(List.of(LPC, LPC.add(ONE)), noFunds.args());
      reverts(
          "NotActiveVerifier",
          () -> send(seq.openJobWithSession(buyer, g, grantSig, ok, one, p.getAddress())));
      reverts(
          "NoShards",
          () -> send(seq.openJobWithSession(buyer, g, grantSig, ok, List.of(), verifier)));
      assertEquals(ZERO, f.spent(b, g));
      assertEquals(ZERO, f.locked(buyer));

      // A request nonce is spent once, whichever way the job opened.
      send(seq.openJobWithSession(buyer, g, grantSig, ok, one, verifier));
      ContractRevertException replay =
          reverts(
              "NonceAlreadyUsed",
              () -> send(seq.openJobWithSession(buyer, g, grantSig, ok, one, verifier)));
      assertEquals(List.of(buyer, ok.nonce), replay.args());
      reverts("NonceAlreadyUsed", () -> send(seq.openJob(buyer, ok, f.sign(ok, b), one, verifier)));
      JobMarket.JobRequest signed = f.request(ONE);
      send(seq.openJob(buyer, signed, f.sign(signed, b), one, verifier));
      reverts(
          "NonceAlreadyUsed",
          () -> send(seq.openJobWithSession(buyer, g, grantSig, signed, one, verifier)));
      JobMarket.JobRequest cancelled = f.request(ONE);
      send(f.as(b).market().cancelNonce(cancelled.nonce));
      reverts(
          "NonceAlreadyUsed",
          () -> send(seq.openJobWithSession(buyer, g, grantSig, cancelled, one, verifier)));
      assertEquals(ok.maxPrice, f.spent(b, g));
      assertEquals(ok.maxPrice.add(ONE), f.locked(buyer));
    }

    @Test
    void aGrantIsValidOnlyBeforeItsExpiry() {
      Credentials b = f.buyer(LPC);
      JobMarket.SessionGrant g = f.grant(LPC, 1_000);
      f.openWithSession(b, g, LPC.divide(BigInteger.TEN), 1);
      f.increaseTime(1_000);
      ContractRevertException e = reverts("SessionExpired", () -> f.openWithSession(b, g, ONE, 1));
      assertEquals(g.expiry, e.args().get(1));
      assertEquals(LPC.divide(BigInteger.TEN), f.spent(b, g));
      assertEquals(LPC.divide(BigInteger.TEN), f.locked(b.getAddress()));
    }

    @Test
    void theBuyerRevokesASessionForGood() {
      Credentials b = f.buyer(LPC);
      JobMarket.SessionGrant g = f.grant(LPC, 3_600);
      JobMarket.SessionGrant other = f.grant(LPC, 3_600);
      ContractFixture.Job before = f.openWithSession(b, g, LPC.divide(BigInteger.TEN), 1);

      var ev = JobMarket.getSessionRevokedEvents(send(f.as(b).market().revokeSession(g.sessionId)));
      assertEquals(1, ev.size());
      assertEquals(b.getAddress(), ev.get(0).buyer);
      assertArrayEquals(g.sessionId, ev.get(0).sessionId);
      assertTrue(send(f.admin.market().sessionRevoked(b.getAddress(), g.sessionId)));
      // Idempotent: a second revocation succeeds and changes (and emits) nothing.
      TransactionReceipt again = send(f.as(b).market().revokeSession(g.sessionId));
      assertTrue(JobMarket.getSessionRevokedEvents(again).isEmpty());
      assertTrue(send(f.admin.market().sessionRevoked(b.getAddress(), g.sessionId)));

      ContractRevertException e =
          reverts("SessionIsRevoked", () -> f.openWithSession(b, g, ONE, 1));
      assertEquals(b.getAddress(), e.args().get(0));
      assertArrayEquals(g.sessionId, (byte[]) e.args().get(1));
      assertEquals(LPC.divide(BigInteger.TEN), f.spent(b, g));
      assertEquals(LPC.divide(BigInteger.TEN), f.locked(b.getAddress()));
      // Only that session of that buyer: the buyer's other session still opens jobs, and another
      // buyer's session under the same id is untouched.
      f.openWithSession(b, other, ONE, 1);
      assertEquals(ONE, f.spent(b, other));
      Credentials c = f.buyer(LPC);
      assertFalse(send(f.admin.market().sessionRevoked(c.getAddress(), g.sessionId)));
      f.openWithSession(c, g, TWO, 1);
      assertEquals(TWO, f.spent(c, g));
      reverts("ZeroSessionId", () -> send(f.as(b).market().revokeSession(new byte[32])));

      // A job opened before the revocation runs to the end.
      f.commit(before, 0, 100);
      f.increaseTime(3_601);
      send(f.admin.market().finalize(before.id()));
      assertEquals(ONE, f.locked(b.getAddress()), "only the other session's open job");
      assertEquals(LPC.divide(BigInteger.TEN), f.spent(b, g), "spent is never refunded");
    }

    @Test
    void anyoneSubmitsTheBuyersSignedRevocation() {
      Credentials b = f.buyer(LPC);
      JobMarket.SessionGrant g = f.grant(LPC, 3_600);
      f.openWithSession(b, g, ONE, 1);
      Credentials relayer = f.account();
      JobMarket m = f.as(relayer).market();
      String buyer = b.getAddress();
      BigInteger nonce = BigInteger.valueOf(9);
      Credentials mallory = f.account();
      byte[] forged =
          JobMarketEip712.signRevokeSession(
              f.chainId, f.addresses.market(), g.sessionId, nonce, mallory);
      ContractRevertException bad =
          reverts(
              "InvalidSessionSignature",
              () -> send(m.revokeSessionWithSig(buyer, g.sessionId, nonce, forged)));
      assertEquals(buyer, bad.args().get(0));
      byte[] sig =
          JobMarketEip712.signRevokeSession(f.chainId, f.addresses.market(), g.sessionId, nonce, b);
      // The signature covers the session and the nonce.
      reverts(
          "InvalidSessionSignature",
          () -> send(m.revokeSessionWithSig(buyer, random32(), nonce, sig)));
      reverts(
          "InvalidSessionSignature",
          () -> send(m.revokeSessionWithSig(buyer, g.sessionId, nonce.add(ONE), sig)));
      reverts(
          "InvalidSessionSignature",
          () -> send(m.revokeSessionWithSig(buyer, g.sessionId, nonce, new byte[65])));
      assertFalse(send(f.admin.market().sessionRevoked(buyer, g.sessionId)));

      var ev =
          JobMarket.getSessionRevokedEvents(
              send(m.revokeSessionWithSig(buyer, g.sessionId, nonce, sig)));
      assertEquals(buyer, ev.get(0).buyer);
      assertArrayEquals(g.sessionId, ev.get(0).sessionId);
      assertTrue(send(f.admin.market().sessionRevoked(buyer, g.sessionId)));
      assertFalse(send(f.admin.market().sessionRevoked(relayer.getAddress(), g.sessionId)));
      // A replay is a no-op.
      assertTrue(
          JobMarket.getSessionRevokedEvents(
                  send(m.revokeSessionWithSig(buyer, g.sessionId, nonce, sig)))
              .isEmpty());
      reverts("SessionIsRevoked", () -> f.openWithSession(b, g, ONE, 1));
      assertEquals(ONE, f.spent(b, g));
      assertEquals(ONE, f.locked(buyer));
      byte[] zeroSig =
          JobMarketEip712.signRevokeSession(
              f.chainId, f.addresses.market(), new byte[32], nonce, b);
      reverts(
          "ZeroSessionId", () -> send(m.revokeSessionWithSig(buyer, new byte[32], nonce, zeroSig)));
    }

    @Test
    void aSessionJobFinalizesAndPaysLikeAnyOther() {
      BigInteger maxPrice = LPC;
      Credentials b = f.buyer(maxPrice.multiply(TWO));
      JobMarket.SessionGrant g = f.grant(maxPrice.multiply(TWO), 3_600);
      ContractFixture.Job job = f.openWithSession(b, g, maxPrice, 2);
      f.commit(job, 0, 1000);
      f.commit(job, 1, 3000);
      f.increaseTime(3_601);
      BigInteger distributorBefore = f.balanceOf(f.addresses.distributor());
      TransactionReceipt r = send(f.as(f.account()).market().finalize(job.id()));

      BigInteger cost = BigInteger.valueOf(4_000_000_000L);
      BigInteger fee = BigInteger.valueOf(200_000_000L);
      BigInteger pool = cost.subtract(fee);
      var fin = JobMarket.getJobFinalizedEvents(r).get(0);
      assertEquals(cost, fin.cost);
      assertEquals(fee, fin.verifierFee);
      assertEquals(maxPrice.subtract(cost), fin.refund);
      Map<String, BigInteger> paid = new HashMap<>();
      for (var p : JobMarket.getPayoutEvents(r)) {
        paid.merge(p.account, p.amount, BigInteger::add);
      }
      assertEquals(fee, paid.get(job.verifier().getAddress()));
      assertEquals(
          pool.divide(BigInteger.valueOf(4)), paid.get(job.providers().get(0).getAddress()));
      assertEquals(
          pool.subtract(pool.divide(BigInteger.valueOf(4))),
          paid.get(job.providers().get(1).getAddress()));
      assertEquals(distributorBefore.add(cost), f.balanceOf(f.addresses.distributor()));
      assertEquals(ZERO, f.locked(b.getAddress()));
      assertEquals(maxPrice.multiply(TWO).subtract(cost), f.escrowBalance(b.getAddress()));
      assertEquals(TWO, send(f.admin.market().jobInfo(job.id())).status);
      // The session stays charged with the locked maxPrice, not the final cost.
      assertEquals(maxPrice, f.spent(b, g));
    }

    @Test
    void aJobIdIsNeverOpenedTwice() {
      Credentials a = f.buyer(LPC);
      Credentials b = f.buyer(LPC);
      Credentials p = f.node(PROVIDER);
      Credentials v = f.node(VERIFIER);
      JobMarket seq = f.as(f.sequencer()).market();
      var one = shards(List.of(p));
      JobMarket.JobRequest req = f.request(LPC.divide(BigInteger.TEN));
      send(seq.openJob(a.getAddress(), req, f.sign(req, a), one, v.getAddress()));
      byte[] id = JobMarketEip712.jobRequestDigest(f.chainId, f.addresses.market(), req);

      // The jobId does not name the buyer: b's identical request, signed or under a session,
      // would otherwise overwrite a's job and strand a's locked escrow.
      ContractRevertException e =
          reverts(
              "JobAlreadyExists",
              () -> send(seq.openJob(b.getAddress(), req, f.sign(req, b), one, v.getAddress())));
      assertArrayEquals(id, (byte[]) e.args().get(0));
      JobMarket.SessionGrant g = f.grant(LPC, 3_600);
      reverts(
          "JobAlreadyExists",
          () ->
              send(
                  seq.openJobWithSession(
                      b.getAddress(), g, f.sign(g, b), req, one, v.getAddress())));
      assertEquals(a.getAddress(), send(f.admin.market().jobInfo(id)).buyer);
      assertEquals(req.maxPrice, f.locked(a.getAddress()));
      assertEquals(ZERO, f.locked(b.getAddress()));
      assertEquals(ZERO, f.spent(b, g));
      assertFalse(send(f.admin.market().nonceUsed(b.getAddress(), req.nonce)));
      // withNonce keeps the other fields: a different nonce is a different job.
      JobMarket.JobRequest fresh = withNonce(req, req.nonce.add(BigInteger.valueOf(1_000)));
      send(seq.openJobWithSession(b.getAddress(), g, f.sign(g, b), fresh, one, v.getAddress()));
      assertEquals(req.maxPrice, f.locked(b.getAddress()));
    }
  }

  // =================================================================== JobMarket: commitments

  @Nested
  class Commitments {

    @Test
    void providersCommitOnceAndTheWindowStartsAtTheLastCommitment() {
      Credentials b = f.buyer(LPC);
      ContractFixture.Job job = f.openJob(b, LPC.divide(BigInteger.TEN), 2);
      TransactionReceipt r =
          send(
              f.as(job.providers().get(0))
                  .market()
                  .postCommitment(job.id(), ZERO, h("root-0"), BigInteger.valueOf(1000)));
      var ev = JobMarket.getCommitmentPostedEvents(r).get(0);
      assertEquals(job.providers().get(0).getAddress(), ev.provider);
      assertEquals(BigInteger.valueOf(1000), ev.workUnits);
      JobMarket.Shard s = send(f.admin.market().shardInfo(job.id(), ZERO));
      assertArrayEquals(h("root-0"), s.root);
      assertEquals(BigInteger.valueOf(1000), s.workUnits);
      JobMarket.Job info = send(f.admin.market().jobInfo(job.id()));
      assertEquals(ONE, info.committedCount);
      assertEquals(
          info.commitDeadline.add(BigInteger.valueOf(3600)),
          send(f.admin.market().challengeEndsAt(job.id())));

      f.commit(job, 1, 3000);
      info = send(f.admin.market().jobInfo(job.id()));
      assertEquals(BigInteger.valueOf(4000), info.totalWorkUnits);
      assertEquals(f.now(), info.lastCommitAt);
      assertEquals(
          info.lastCommitAt.add(BigInteger.valueOf(3600)),
          send(f.admin.market().challengeEndsAt(job.id())));
    }

    @Test
    void rejectsEveryInvalidCommitment() {
      Credentials b = f.buyer(LPC);
      ContractFixture.Job job = f.openJob(b, LPC.divide(BigInteger.TEN), 2);
      JobMarket p0 = f.as(job.providers().get(0)).market();
      byte[] root = h("r");
      reverts("UnknownJob", () -> send(p0.postCommitment(random32(), ZERO, root, ONE)));
      ContractRevertException range =
          reverts("ShardIndexOutOfRange", () -> send(p0.postCommitment(job.id(), TWO, root, ONE)));
      assertEquals(List.of(TWO, TWO), range.args());
      ContractRevertException notYours =
          reverts("NotShardProvider", () -> send(p0.postCommitment(job.id(), ONE, root, ONE)));
      assertEquals(job.providers().get(1).getAddress(), notYours.args().get(1));
      reverts("ZeroRoot", () -> send(p0.postCommitment(job.id(), ZERO, new byte[32], ONE)));
      reverts("InvalidWorkUnits", () -> send(p0.postCommitment(job.id(), ZERO, root, ZERO)));
      reverts("InvalidWorkUnits", () -> send(p0.postCommitment(job.id(), ZERO, root, TWO.pow(64))));
      send(p0.postCommitment(job.id(), ZERO, root, TWO.pow(64).subtract(ONE)));
      reverts("AlreadyCommitted", () -> send(p0.postCommitment(job.id(), ZERO, root, ONE)));

      f.increaseTime(601);
      reverts("CommitDeadlinePassed", () -> f.commit(job, 1, 5));

      f.increaseTime(3600);
      send(f.admin.market().finalize(job.id()));
      ContractRevertException closed = reverts("JobNotOpen", () -> f.commit(job, 1, 5));
      assertEquals(TWO, closed.args().get(1), "status Finalized");
    }
  }

  // =================================================================== JobMarket: finalize

  @Nested
  class Finalize {

    @Test
    void paysProvidersProRataTheVerifierItsFeeAndRefundsTheRest() {
      BigInteger maxPrice = LPC;
      Credentials b = f.buyer(maxPrice.multiply(TWO));
      ContractFixture.Job job = f.openJob(b, maxPrice, 3);
      // 1000 + 2000 + 4000 units at 1e6 wei: cost 7e9, fee 5% = 3.5e8, pool 6.65e9.
      f.commit(job, 0, 1000);
      f.commit(job, 1, 2000);
      f.commit(job, 2, 4000);
      reverts("ChallengeWindowOpen", () -> send(f.admin.market().finalize(job.id())));
      f.increaseTime(3601);
      BigInteger distributorBefore = f.balanceOf(f.addresses.distributor());
      TransactionReceipt r = send(f.as(f.account()).market().finalize(job.id()));

      BigInteger cost = BigInteger.valueOf(7_000_000_000L);
      BigInteger fee = BigInteger.valueOf(350_000_000L);
      BigInteger pool = cost.subtract(fee);
      BigInteger pay0 = pool.multiply(BigInteger.valueOf(1000)).divide(BigInteger.valueOf(7000));
      BigInteger pay1 = pool.multiply(BigInteger.valueOf(2000)).divide(BigInteger.valueOf(7000));
      BigInteger pay2 = pool.subtract(pay0).subtract(pay1); // the last shard takes the dust
      var fin = JobMarket.getJobFinalizedEvents(r).get(0);
      assertEquals(cost, fin.cost);
      assertEquals(fee, fin.verifierFee);
      assertEquals(maxPrice.subtract(cost), fin.refund);
      assertEquals(BigInteger.valueOf(7000), fin.totalWorkUnits);

      Map<String, BigInteger> paid = new HashMap<>();
      BigInteger sum = ZERO;
      for (var p : JobMarket.getPayoutEvents(r)) {
        assertArrayEquals(job.id(), p.jobId);
        paid.merge(p.account, p.amount, BigInteger::add);
        sum = sum.add(p.amount);
      }
      assertEquals(cost, sum, "payouts add up to the cost, to the wei");
      assertEquals(fee, paid.get(job.verifier().getAddress()));
      assertEquals(pay0, paid.get(job.providers().get(0).getAddress()));
      assertEquals(pay1, paid.get(job.providers().get(1).getAddress()));
      assertEquals(pay2, paid.get(job.providers().get(2).getAddress()));
      assertEquals(distributorBefore.add(cost), f.balanceOf(f.addresses.distributor()));
      assertEquals(cost, send(f.admin.distributor().totalFunded()));
      assertEquals(ZERO, f.locked(b.getAddress()));
      assertEquals(maxPrice.multiply(TWO).subtract(cost), f.escrowBalance(b.getAddress()));
      assertEquals(TWO, send(f.admin.market().jobInfo(job.id())).status);

      reverts("JobNotOpen", () -> send(f.admin.market().finalize(job.id())));
      reverts("UnknownJob", () -> send(f.admin.market().finalize(random32())));
    }

    @Test
    void costIsCappedAtMaxPrice() {
      BigInteger maxPrice = BigInteger.valueOf(5_000_000_000L);
      Credentials b = f.buyer(maxPrice);
      ContractFixture.Job job = f.openJob(b, maxPrice, 2);
      f.commit(job, 0, 9_000);
      f.commit(job, 1, 3_000); // 12000 units = 1.2e10 > maxPrice
      f.increaseTime(3601);
      TransactionReceipt r = send(f.admin.market().finalize(job.id()));
      var fin = JobMarket.getJobFinalizedEvents(r).get(0);
      assertEquals(maxPrice, fin.cost);
      assertEquals(ZERO, fin.refund);
      BigInteger fee = maxPrice.divide(BigInteger.valueOf(20));
      BigInteger pool = maxPrice.subtract(fee);
      var payouts = JobMarket.getPayoutEvents(r);
      assertEquals(fee, payouts.get(0).amount);
      assertEquals(BigInteger.ONE, payouts.get(0).kind, "verifier payout kind");
      assertEquals(
          pool.multiply(BigInteger.valueOf(3)).divide(BigInteger.valueOf(4)),
          payouts.get(1).amount);
      assertEquals(pool.subtract(payouts.get(1).amount), payouts.get(2).amount);
      assertEquals(ZERO, f.escrowBalance(b.getAddress()));
    }

    @Test
    void aJobWithoutCommitmentsRefundsEverythingAfterTheDeadlinePlusWindow() {
      Credentials b = f.buyer(LPC);
      ContractFixture.Job job = f.openJob(b, LPC, 2);
      f.commit(job, 1, 500); // only the second shard commits: the window runs from the deadline
      f.increaseTime(3601);
      ContractRevertException open =
          reverts("ChallengeWindowOpen", () -> send(f.admin.market().finalize(job.id())));
      assertEquals(send(f.admin.market().challengeEndsAt(job.id())), open.args().get(0));
      f.increaseTime(600);
      TransactionReceipt r = send(f.admin.market().finalize(job.id()));
      var payouts = JobMarket.getPayoutEvents(r);
      assertEquals(
          2, payouts.size(), "verifier and the one committed provider, nothing for shard 0");
      assertEquals(job.providers().get(1).getAddress(), payouts.get(1).account);

      ContractFixture.Job idle = f.openJob(b, LPC.divide(TWO), 1);
      f.increaseTime(600 + 3600 + 1);
      TransactionReceipt r2 = send(f.admin.market().finalize(idle.id()));
      var fin = JobMarket.getJobFinalizedEvents(r2).get(0);
      assertEquals(ZERO, fin.cost);
      assertEquals(LPC.divide(TWO), fin.refund);
      assertTrue(JobMarket.getPayoutEvents(r2).isEmpty());
      assertEquals(ZERO, f.locked(b.getAddress()));
    }

    @Test
    void parametersAreSnapshottedWhenTheJobOpens() {
      Credentials b = f.buyer(LPC);
      ContractFixture.Job job = f.openJob(b, LPC, 1);
      send(
          f.admin
              .market()
              .setParams(f.params.withUnitPrice(BigInteger.valueOf(999)).marketParams()));
      f.commit(job, 0, 100);
      f.increaseTime(3601);
      var fin = JobMarket.getJobFinalizedEvents(send(f.admin.market().finalize(job.id()))).get(0);
      assertEquals(f.params.unitPrice().multiply(BigInteger.valueOf(100)), fin.cost);
    }
  }

  // =================================================================== JobMarket: fraud

  @Nested
  class Fraud {

    private ContractFixture.Job committedJob(Credentials buyer) {
      ContractFixture.Job job = f.openJob(buyer, LPC, 2);
      f.commit(job, 0, 1000);
      return job;
    }

    @Test
    void aQuorumOfVerifiersSlashesRewardsRefundsAndClosesTheJob() {
      Credentials b = f.buyer(LPC.multiply(TWO));
      ContractFixture.Job job = committedJob(b);
      Credentials cheat = job.providers().get(0);
      // Half of the cheat's 100 LPC goes into unbonding first: it is slashed all the same.
      send(f.as(cheat).registry().setRoles(ZERO));
      send(f.as(cheat).registry().requestUnbond(LPC.multiply(BigInteger.valueOf(50))));
      List<Credentials> verifiers = List.of(f.node(VERIFIER), f.node(VERIFIER), f.node(VERIFIER));
      byte[] evidence = h("activation mismatch at token 3 layer 5");
      List<byte[]> sigs = f.verdicts(job.id(), 0, evidence, verifiers);
      assertArrayEquals(
          JobMarketEip712.fraudVerdictDigest(
              f.chainId, f.addresses.market(), job.id(), ZERO, evidence),
          send(f.admin.market().hashFraudVerdict(job.id(), ZERO, evidence)));

      BigInteger treasuryBefore = f.balanceOf(f.treasury);
      TransactionReceipt r =
          send(f.as(f.account()).market().resolveFraud(job.id(), ZERO, evidence, sigs));

      BigInteger slashed = LPC.multiply(BigInteger.valueOf(50)); // 50% of 100 bonded
      BigInteger pool = slashed.divide(BigInteger.valueOf(5)); // 20% to challengers
      BigInteger each = pool.divide(BigInteger.valueOf(3));
      BigInteger toTreasury = slashed.subtract(each.multiply(BigInteger.valueOf(3)));
      var ev = JobMarket.getFraudProvenEvents(r).get(0);
      assertEquals(cheat.getAddress(), ev.provider);
      assertArrayEquals(evidence, ev.evidenceHash);
      assertEquals(slashed, ev.slashed);
      assertEquals(each.multiply(BigInteger.valueOf(3)), ev.challengerRewards);
      assertEquals(toTreasury, ev.toTreasury);
      assertEquals(LPC, ev.refunded);
      assertEquals(slashed, ev.challengerRewards.add(ev.toTreasury), "slash fully accounted for");
      var payouts = JobMarket.getPayoutEvents(r);
      assertEquals(3, payouts.size());
      List<Credentials> sorted = sortedByAddress(verifiers);
      for (int i = 0; i < 3; i++) {
        assertEquals(sorted.get(i).getAddress(), payouts.get(i).account);
        assertEquals(each, payouts.get(i).amount);
        assertEquals(TWO, payouts.get(i).kind, "challenger payout kind");
      }
      assertEquals(treasuryBefore.add(toTreasury), f.balanceOf(f.treasury));
      assertEquals(each.multiply(BigInteger.valueOf(3)), f.balanceOf(f.addresses.distributor()));
      var bond = send(f.admin.registry().bondOf(cheat.getAddress()));
      assertEquals(ZERO, bond.component1(), "stake went first");
      assertEquals(LPC.multiply(BigInteger.valueOf(50)), bond.component2(), "then unbonding");
      assertEquals(ZERO, f.locked(b.getAddress()));
      assertEquals(LPC.multiply(TWO), f.escrowBalance(b.getAddress()), "buyer refunded in full");
      assertEquals(BigInteger.valueOf(3), send(f.admin.market().jobInfo(job.id())).status);
      // The market holds exactly the escrow again: nothing of the slash stuck there.
      assertEquals(LPC.multiply(TWO), f.balanceOf(f.addresses.market()));

      f.increaseTime(10_000);
      reverts("JobNotOpen", () -> send(f.admin.market().finalize(job.id())));
      reverts(
          "JobNotOpen", () -> send(f.admin.market().resolveFraud(job.id(), ZERO, evidence, sigs)));
    }

    @Test
    void rejectsEveryInvalidFraudClaim() {
      Credentials b = f.buyer(LPC.multiply(TWO));
      ContractFixture.Job job = committedJob(b);
      JobMarket m = f.admin.market();
      byte[] ev = h("evidence");
      Credentials v1 = f.node(VERIFIER);
      Credentials v2 = f.node(VERIFIER);
      List<byte[]> good = f.verdicts(job.id(), 0, ev, List.of(v1, v2));

      reverts("UnknownJob", () -> send(m.resolveFraud(random32(), ZERO, ev, good)));
      reverts("ShardIndexOutOfRange", () -> send(m.resolveFraud(job.id(), TWO, ev, good)));
      reverts("ShardNotCommitted", () -> send(m.resolveFraud(job.id(), ONE, ev, good)));
      ContractRevertException quorum =
          reverts(
              "QuorumNotReached",
              () -> send(m.resolveFraud(job.id(), ZERO, ev, good.subList(0, 1))));
      assertEquals(List.of(ONE, TWO), quorum.args());
      List<byte[]> tooMany = new ArrayList<>();
      for (int i = 0; i < 33; i++) {
        tooMany.add(new byte[65]);
      }
      reverts("TooManySignatures", () -> send(m.resolveFraud(job.id(), ZERO, ev, tooMany)));
      reverts(
          "SignersNotAscending",
          () -> send(m.resolveFraud(job.id(), ZERO, ev, List.of(good.get(1), good.get(0)))));
      reverts(
          "SignersNotAscending",
          () -> send(m.resolveFraud(job.id(), ZERO, ev, List.of(good.get(0), good.get(0)))));
      // The accused cannot sign its own verdict (even if it is also a verifier).
      Credentials pv = f.node(PROVIDER | VERIFIER);
      ContractFixture.Job job2 = f.openJob(b, LPC.divide(TWO), List.of(pv), v1);
      f.commit(job2, 0, 10);
      reverts(
          "AccusedCannotSign",
          () ->
              send(
                  m.resolveFraud(
                      job2.id(), ZERO, ev, f.verdicts(job2.id(), 0, ev, List.of(pv, v2)))));
      Credentials outsider = f.account();
      reverts(
          "NotActiveVerifier",
          () ->
              send(
                  m.resolveFraud(
                      job.id(), ZERO, ev, f.verdicts(job.id(), 0, ev, List.of(v1, outsider)))));
      // Signatures over another shard or other evidence recover to other addresses.
      reverts("NotActiveVerifier", () -> send(m.resolveFraud(job.id(), ZERO, h("other"), good)));
      reverts(
          "ECDSAInvalidSignatureLength",
          () -> send(m.resolveFraud(job.id(), ZERO, ev, List.of(new byte[64], new byte[64]))));
      byte[] highS = good.get(0).clone();
      System.arraycopy(Numeric.toBytesPadded(SECP256K1_N.subtract(ONE), 32), 0, highS, 32, 32);
      reverts(
          "ECDSAInvalidSignatureS",
          () -> send(m.resolveFraud(job.id(), ZERO, ev, List.of(highS, good.get(1)))));

      f.increaseTime(601 + 3600);
      ContractRevertException late =
          reverts("ChallengeWindowClosed", () -> send(m.resolveFraud(job.id(), ZERO, ev, good)));
      assertEquals(send(m.challengeEndsAt(job.id())), late.args().get(0));
    }

    @Test
    void aFullySlashedProviderYieldsNothingButTheBuyerIsStillRefunded() {
      DeployParams p = ContractFixture.testParams(f.treasury);
      send(
          f.admin
              .market()
              .setParams(
                  new DeployParams(
                          p.minStake(),
                          p.unbondingDelaySeconds(),
                          p.unitPrice(),
                          p.verifierFeeBps(),
                          p.commitWindowSeconds(),
                          p.challengeWindowSeconds(),
                          1,
                          10_000,
                          10_000,
                          p.treasury())
                      .marketParams()));
      Credentials b = f.buyer(LPC.multiply(TWO));
      ContractFixture.Job a = committedJob(b);
      ContractFixture.Job c = f.openJob(b, LPC, List.of(a.providers().get(0)), a.verifier());
      f.commit(c, 0, 1);
      Credentials v = f.node(VERIFIER);
      send(
          f.admin
              .market()
              .resolveFraud(a.id(), ZERO, h("e"), f.verdicts(a.id(), 0, h("e"), List.of(v))));
      assertEquals(
          f.params.minStake(),
          f.balanceOf(f.addresses.distributor()),
          "100% to the one challenger");
      var ev =
          JobMarket.getFraudProvenEvents(
                  send(
                      f.admin
                          .market()
                          .resolveFraud(
                              c.id(), ZERO, h("e"), f.verdicts(c.id(), 0, h("e"), List.of(v)))))
              .get(0);
      assertEquals(ZERO, ev.slashed);
      assertEquals(ZERO, f.locked(b.getAddress()));
      assertEquals(LPC.multiply(TWO), f.escrowBalance(b.getAddress()));
    }
  }

  // =================================================================== JobMarket: admin and views

  @Nested
  class MarketAdmin {

    @Test
    void adminSetsParametersWithinBounds() {
      JobMarket m = f.admin.market();
      DeployParams p = f.params;
      var ev =
          JobMarket.getParamsUpdatedEvents(send(m.setParams(p.withQuorum(3).marketParams())))
              .get(0);
      assertEquals(BigInteger.valueOf(3), ev.quorum);
      JobMarket.MarketParams now = send(m.params());
      assertEquals(BigInteger.valueOf(3), now.quorum);
      assertEquals(p.unitPrice(), now.unitPrice);
      assertEquals(p.treasury(), now.treasury);

      Map<String, DeployParams> bad = new java.util.LinkedHashMap<>();
      bad.put("unitPrice", p.withUnitPrice(ZERO));
      bad.put("unitPrice ", p.withUnitPrice(TWO.pow(128)));
      bad.put(
          "verifierFeeBps",
          with(
              p,
              5001,
              p.commitWindowSeconds(),
              p.challengeWindowSeconds(),
              2,
              5000,
              2000,
              p.treasury()));
      bad.put("commitWindow", with(p, 500, 59, 3600, 2, 5000, 2000, p.treasury()));
      bad.put("commitWindow ", with(p, 500, 7 * 86_400 + 1, 3600, 2, 5000, 2000, p.treasury()));
      bad.put("challengeWindow", with(p, 500, 600, 59, 2, 5000, 2000, p.treasury()));
      bad.put("challengeWindow ", with(p, 500, 600, 30 * 86_400 + 1, 2, 5000, 2000, p.treasury()));
      bad.put("quorum", p.withQuorum(0));
      bad.put("quorum ", p.withQuorum(33));
      bad.put("slashBps", with(p, 500, 600, 3600, 2, 0, 2000, p.treasury()));
      bad.put("slashBps ", with(p, 500, 600, 3600, 2, 10_001, 2000, p.treasury()));
      bad.put("challengerRewardBps", with(p, 500, 600, 3600, 2, 5000, 10_001, p.treasury()));
      bad.put("treasury", with(p, 500, 600, 3600, 2, 5000, 2000, Address.DEFAULT.getValue()));
      for (var e : bad.entrySet()) {
        ContractRevertException err =
            reverts("InvalidParameter", () -> send(m.setParams(e.getValue().marketParams())));
        assertEquals(e.getKey().trim(), err.args().get(0));
      }
      // The bounds themselves are accepted.
      send(
          m.setParams(
              with(p, 5000, 60, 30 * 86_400, 32, 10_000, 10_000, p.treasury()).marketParams()));
      send(m.setParams(p.withUnitPrice(TWO.pow(128).subtract(ONE)).marketParams()));
      reverts(
          "AccessControlUnauthorizedAccount",
          () -> send(f.as(f.account()).market().setParams(p.marketParams())));
    }

    @Test
    void viewsAndConstants() {
      JobMarket m = f.admin.market();
      assertArrayEquals(
          JobMarketEip712.domainSeparator(f.chainId, f.addresses.market()),
          send(m.domainSeparator()));
      assertArrayEquals(h(JobMarketEip712.JOB_REQUEST_TYPE), send(m.JOB_REQUEST_TYPEHASH()));
      assertArrayEquals(h(JobMarketEip712.FRAUD_VERDICT_TYPE), send(m.FRAUD_VERDICT_TYPEHASH()));
      assertEquals(BigInteger.valueOf(10_000), send(m.BPS()));
      assertEquals(BigInteger.valueOf(16), send(m.MAX_SHARDS()));
      assertEquals(BigInteger.valueOf(32), send(m.MAX_VERDICT_SIGNERS()));
      assertEquals(TWO.pow(128).subtract(ONE), send(m.MAX_UNIT_PRICE()));
      assertEquals(BigInteger.valueOf(5000), send(m.MAX_VERIFIER_FEE_BPS()));
      assertEquals(BigInteger.valueOf(60), send(m.MIN_WINDOW()));
      assertEquals(BigInteger.valueOf(7 * 86_400), send(m.MAX_COMMIT_WINDOW()));
      assertEquals(BigInteger.valueOf(30 * 86_400), send(m.MAX_CHALLENGE_WINDOW()));
      var domain = send(m.eip712Domain());
      assertEquals(JobMarketEip712.NAME, domain.component2());
      assertEquals(JobMarketEip712.VERSION, domain.component3());
      reverts("UnknownJob", () -> send(m.challengeEndsAt(random32())));
      assertEquals(ZERO, send(m.jobInfo(random32())).status);
      String nobody = f.account().getAddress();
      assertEquals(ZERO, send(m.freeBalanceOf(nobody)));
      assertFalse(send(m.nonceUsed(nobody, ONE)));
    }

    private DeployParams with(
        DeployParams p,
        int feeBps,
        long commit,
        long challenge,
        int quorum,
        int slashBps,
        int rewardBps,
        String treasury) {
      return new DeployParams(
          p.minStake(),
          p.unbondingDelaySeconds(),
          p.unitPrice(),
          feeBps,
          commit,
          challenge,
          quorum,
          slashBps,
          rewardBps,
          treasury);
    }
  }

  // =================================================================== LedgerAnchor

  @Nested
  class Anchor {

    @Test
    void anchorsAHashLinkedHistory() {
      Credentials seq = f.sequencer();
      LedgerAnchor a = f.as(seq).anchor();
      assertEquals(ZERO, send(a.batchCount()));
      assertFalse(send(a.isSequencer(seq.getAddress())));
      byte[] prev = new byte[32];
      for (int i = 0; i < 11; i++) {
        byte[] root = h("batch-" + i);
        TransactionReceipt r =
            send(a.anchor(BigInteger.valueOf(i), root, BigInteger.valueOf(100 + i), prev));
        var ev = LedgerAnchor.getBatchAnchoredEvents(r).get(0);
        assertEquals(BigInteger.valueOf(i), ev.batchIndex);
        assertArrayEquals(root, ev.root);
        assertArrayEquals(prev, ev.prevRoot);
        assertEquals(BigInteger.valueOf(100 + i), ev.eventCount);
        assertEquals(seq.getAddress(), ev.sequencer);
        assertEquals(
            i == 0 ? 1 : 0, LedgerAnchor.getSequencerSyncedEvents(r).size(), "cache filled once");
        assertEquals(BigInteger.valueOf(i + 1), send(a.batchCount()));
        prev = root;
      }
      assertTrue(send(a.isSequencer(seq.getAddress())));
      assertArrayEquals(h("batch-7"), send(a.rootOf(BigInteger.valueOf(7))));
      assertArrayEquals(new byte[32], send(a.rootOf(BigInteger.valueOf(11))));
    }

    @Test
    void rejectsForksGapsAndNonSequencers() {
      Credentials seq = f.sequencer();
      LedgerAnchor a = f.as(seq).anchor();
      byte[] zero = new byte[32];
      reverts(
          "NotSequencer",
          () -> send(f.as(f.node(PROVIDER)).anchor().anchor(ZERO, h("x"), ONE, zero)));
      reverts(
          "NotSequencer", () -> send(f.as(f.account()).anchor().anchor(ZERO, h("x"), ONE, zero)));
      reverts("ZeroRoot", () -> send(a.anchor(ZERO, zero, ONE, zero)));
      reverts("EmptyBatch", () -> send(a.anchor(ZERO, h("b0"), ZERO, zero)));
      reverts("PrevRootMismatch", () -> send(a.anchor(ZERO, h("b0"), ONE, h("something"))));
      reverts("BatchNotNext", () -> send(a.anchor(ONE, h("b1"), ONE, zero)));
      send(a.anchor(ZERO, h("b0"), ONE, zero));
      // A second sequencer (say, a minority partition) cannot replace or fork batch 0 ...
      LedgerAnchor other = f.as(f.node(SEQUENCER)).anchor();
      ContractRevertException taken =
          reverts("BatchAlreadyAnchored", () -> send(other.anchor(ZERO, h("b0'"), ONE, zero)));
      assertEquals(ZERO, taken.args().get(0));
      // ... nor build batch 1 on a history it made up.
      ContractRevertException fork =
          reverts("PrevRootMismatch", () -> send(other.anchor(ONE, h("b1'"), ONE, h("b0'"))));
      assertArrayEquals(h("b0"), (byte[]) fork.args().get(0));
      reverts(
          "BatchNotNext", () -> send(other.anchor(BigInteger.valueOf(2), h("b2"), ONE, h("b1"))));
      send(other.anchor(ONE, h("b1"), ONE, h("b0")));
      assertEquals(TWO, send(a.batchCount()));
    }

    @Test
    void anyoneResyncsTheSequencerCacheFromTheRegistry() {
      Credentials seq = f.sequencer();
      LedgerAnchor a = f.as(seq).anchor();
      send(a.anchor(ZERO, h("b0"), ONE, new byte[32]));
      send(f.as(seq).registry().setRoles(BigInteger.valueOf(PROVIDER)));
      LedgerAnchor anyone = f.as(f.account()).anchor();
      var ev =
          LedgerAnchor.getSequencerSyncedEvents(send(anyone.syncSequencer(seq.getAddress())))
              .get(0);
      assertFalse(ev.active);
      assertFalse(send(a.isSequencer(seq.getAddress())));
      reverts("NotSequencer", () -> send(a.anchor(ONE, h("b1"), ONE, h("b0"))));
      send(f.as(seq).registry().setRoles(BigInteger.valueOf(SEQUENCER)));
      assertTrue(
          LedgerAnchor.getSequencerSyncedEvents(send(anyone.syncSequencer(seq.getAddress())))
              .get(0)
              .active);
      // Syncing an unchanged status emits nothing.
      assertTrue(
          LedgerAnchor.getSequencerSyncedEvents(send(anyone.syncSequencer(seq.getAddress())))
              .isEmpty());
      send(a.anchor(ONE, h("b1"), ONE, h("b0")));
    }

    @Test
    void verifiesInclusionProofsFromTheJavaMerkleTree() {
      List<byte[]> leaves = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        leaves.add(h("event-" + i));
      }
      MerkleTree tree = MerkleTree.of(leaves);
      LedgerAnchor a = f.as(f.sequencer()).anchor();
      reverts("UnknownBatch", () -> send(a.verifyInclusion(ZERO, leaves.get(0), tree.proof(0))));
      send(a.anchor(ZERO, tree.root(), BigInteger.valueOf(7), new byte[32]));
      for (int i = 0; i < 7; i++) {
        assertTrue(send(a.verifyInclusion(ZERO, leaves.get(i), tree.proof(i))), "leaf " + i);
      }
      assertFalse(send(a.verifyInclusion(ZERO, h("event-99"), tree.proof(3))));
      assertFalse(send(a.verifyInclusion(ZERO, leaves.get(2), tree.proof(3))));
    }
  }

  // =================================================================== RewardDistributor

  @Nested
  class Distributor {

    private void fundAsAdmin(BigInteger amount) {
      RewardDistributor d = f.admin.distributor();
      if (!send(d.hasRole(FUNDER_ROLE, f.deployer.getAddress()))) {
        send(d.grantRole(FUNDER_ROLE, f.deployer.getAddress()));
      }
      f.mint(f.deployer.getAddress(), amount);
      send(f.admin.token().approve(f.addresses.distributor(), amount));
      send(d.fund(amount));
    }

    @Test
    void fundingNeedsTheFunderRole() {
      RewardDistributor d = f.admin.distributor();
      assertArrayEquals(SETTLER_ROLE, send(d.SETTLER_ROLE()));
      assertArrayEquals(DEFAULT_ADMIN_ROLE, send(d.getRoleAdmin(FUNDER_ROLE)));
      reverts("AccessControlUnauthorizedAccount", () -> send(d.fund(ONE)));
      fundAsAdmin(LPC);
      assertEquals(LPC, send(d.totalFunded()));
      assertEquals(LPC, f.balanceOf(f.addresses.distributor()));
      reverts("ZeroAmount", () -> send(d.fund(ZERO)));
      reverts("ERC20InsufficientAllowance", () -> send(d.fund(ONE)));
    }

    @Test
    void settlerPostsIncreasingEpochsBackedByFunds() {
      RewardDistributor d = f.admin.distributor();
      fundAsAdmin(BigInteger.valueOf(1000));
      reverts(
          "AccessControlUnauthorizedAccount",
          () -> send(f.as(f.account()).distributor().postRoot(ONE, h("r"), ONE)));
      reverts("ZeroRoot", () -> send(d.postRoot(ONE, new byte[32], ONE)));
      ContractRevertException over =
          reverts(
              "TotalExceedsFunding", () -> send(d.postRoot(ONE, h("r"), BigInteger.valueOf(1001))));
      assertEquals(List.of(BigInteger.valueOf(1001), BigInteger.valueOf(1000)), over.args());
      var ev =
          RewardDistributor.getEpochRootPostedEvents(
                  send(d.postRoot(ZERO, h("r0"), BigInteger.valueOf(400))))
              .get(0);
      assertEquals(ZERO, ev.epoch, "epoch 0 is a valid first epoch");
      assertArrayEquals(h("r0"), send(d.currentRoot()));
      assertEquals(BigInteger.valueOf(400), send(d.rootTotal()));
      reverts("EpochNotIncreasing", () -> send(d.postRoot(ZERO, h("r1"), BigInteger.valueOf(500))));
      reverts("TotalDecreased", () -> send(d.postRoot(ONE, h("r1"), BigInteger.valueOf(399))));
      send(d.postRoot(BigInteger.valueOf(5), h("r5"), BigInteger.valueOf(1000)));
      assertEquals(BigInteger.valueOf(5), send(d.currentEpoch()));
      reverts(
          "EpochNotIncreasing",
          () -> send(d.postRoot(BigInteger.valueOf(4), h("r4"), BigInteger.valueOf(1000))));
    }

    @Test
    void claimsPayTheCumulativeDifferenceOnce() {
      RewardDistributor d = f.admin.distributor();
      Credentials alice = f.account();
      Credentials bob = f.account();
      String carol = f.account().getAddress();
      fundAsAdmin(BigInteger.valueOf(10_000));
      reverts("NoRootPosted", () -> send(d.claim(alice.getAddress(), ONE, List.of())));

      RewardTree e1 =
          RewardTree.of(
              Map.of(
                  alice.getAddress(),
                  BigInteger.valueOf(1000),
                  bob.getAddress(),
                  BigInteger.valueOf(2500),
                  carol,
                  ONE));
      send(d.postRoot(ONE, e1.root(), e1.total()));
      // Anyone may submit the claim; alice is paid.
      var claimed =
          RewardDistributor.getClaimedEvents(
                  send(
                      f.as(bob)
                          .distributor()
                          .claim(
                              alice.getAddress(),
                              BigInteger.valueOf(1000),
                              e1.proof(alice.getAddress()))))
              .get(0);
      assertEquals(BigInteger.valueOf(1000), claimed.amount);
      assertEquals(BigInteger.valueOf(1000), f.balanceOf(alice.getAddress()));
      assertEquals(BigInteger.valueOf(1000), send(d.claimed(alice.getAddress())));
      ContractRevertException twice =
          reverts(
              "NothingToClaim",
              () ->
                  send(
                      d.claim(
                          alice.getAddress(),
                          BigInteger.valueOf(1000),
                          e1.proof(alice.getAddress()))));
      assertEquals(BigInteger.valueOf(1000), twice.args().get(2));
      reverts(
          "InvalidProof",
          () ->
              send(
                  d.claim(
                      alice.getAddress(), BigInteger.valueOf(1001), e1.proof(alice.getAddress()))));
      reverts(
          "InvalidProof",
          () ->
              send(
                  d.claim(
                      alice.getAddress(), BigInteger.valueOf(2500), e1.proof(bob.getAddress()))));

      RewardTree e2 =
          RewardTree.of(
              Map.of(
                  alice.getAddress(),
                  BigInteger.valueOf(4000),
                  bob.getAddress(),
                  BigInteger.valueOf(2500),
                  carol,
                  ONE));
      send(d.postRoot(TWO, e2.root(), e2.total()));
      // Old proofs stop working once a newer root is posted.
      reverts(
          "InvalidProof",
          () ->
              send(
                  d.claim(bob.getAddress(), BigInteger.valueOf(2500), e1.proof(bob.getAddress()))));
      send(d.claim(alice.getAddress(), BigInteger.valueOf(4000), e2.proof(alice.getAddress())));
      send(d.claim(bob.getAddress(), BigInteger.valueOf(2500), e2.proof(bob.getAddress())));
      assertEquals(BigInteger.valueOf(4000), f.balanceOf(alice.getAddress()));
      assertEquals(BigInteger.valueOf(2500), f.balanceOf(bob.getAddress()));
      assertEquals(BigInteger.valueOf(10_000 - 6500), f.balanceOf(f.addresses.distributor()));
    }
  }

  // =================================================================== gas

  @Test
  void gasReportCoversEveryOperation() {
    Map<String, BigInteger> gas =
        ContractGasReport.measure(
            chain.web3j(),
            chain.chainId(),
            chain.newFundedAccount(ContractFixture.ETH.multiply(BigInteger.valueOf(100))),
            chain::increaseTime);
    StringBuilder table = new StringBuilder("gas per operation on " + chain.name() + ":\n");
    gas.forEach((op, used) -> table.append(String.format("  %-62s %,9d%n", op, used)));
    System.out.println(table);
    for (String op :
        List.of(
            "JobMarket.deposit",
            "JobMarket.openJob (2 shards)",
            "JobMarket.openJobWithSession (2 shards)",
            "JobMarket.revokeSessionWithSig",
            "JobMarket.postCommitment",
            "LedgerAnchor.anchor",
            "JobMarket.finalize (2 providers + verifier)",
            "RewardDistributor.claim (repeat claim)",
            "JobMarket.resolveFraud (quorum 2, slash + rewards)")) {
      assertTrue(gas.containsKey(op), op);
      assertTrue(gas.get(op).compareTo(BigInteger.valueOf(21_000)) > 0, op);
    }
    // DESIGN.md aims at <= 50k per anchored batch and <= 80k per claim. An anchor cannot go below
    // ~50.0k even without any sequencer check (21k base + calldata + a fresh slot + the previous
    // root + the event); the cached check adds one cold read, so guard ~52.2k against regressions.
    assertTrue(
        gas.get("LedgerAnchor.anchor").compareTo(BigInteger.valueOf(52_500)) <= 0,
        () -> "anchor used " + gas.get("LedgerAnchor.anchor"));
    assertTrue(
        gas.get("RewardDistributor.claim (repeat claim)").compareTo(BigInteger.valueOf(80_000))
            <= 0,
        () -> "claim used " + gas.get("RewardDistributor.claim (repeat claim)"));
  }
}
