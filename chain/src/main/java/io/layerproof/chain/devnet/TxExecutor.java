package io.layerproof.chain.devnet;

import io.horizen.evm.Address;
import io.horizen.evm.Evm;
import io.horizen.evm.Hash;
import io.horizen.evm.Invocation;
import io.horizen.evm.StateDB;
import io.horizen.evm.results.EvmLog;
import io.horizen.evm.results.InvocationResult;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Keys;

/**
 * Runs one message through libevm the way geth's state transition does. libevm's Evm.Apply is only
 * geth's evm.Call / evm.Create: it buys no gas, charges no intrinsic gas, applies no refund and
 * pays no fees, so all of that happens here.
 */
final class TxExecutor {

  /** London: the SSTORE/SELFDESTRUCT refund is capped at gasUsed / 5 (EIP-3529). */
  private static final long REFUND_QUOTIENT = 5;

  private TxExecutor() {}

  /** What a message did. {@code gasUsed} is after the refund, as receipts report it. */
  record Outcome(
      boolean success,
      boolean reverted,
      String error,
      byte[] returnData,
      long gasUsed,
      long refund,
      String contractAddress,
      List<LogEntry> logs) {}

  /**
   * Applies a validated transaction with fees: buys gasLimit * effectiveGasPrice upfront, refunds
   * what is left, burns the base fee and pays the tip to the coinbase. A failed transaction still
   * consumes its gas and bumps the nonce; its state changes and logs are gone.
   */
  static Outcome applyTransaction(StateDB state, SignedTx tx, BlockEnv env) {
    BigInteger price = tx.effectiveGasPrice(env.baseFee());
    Address from = new Address(tx.from());
    state.subBalance(from, BigInteger.valueOf(tx.gasLimit()).multiply(price));
    Outcome o =
        run(
            state,
            tx.from(),
            tx.to(),
            tx.value(),
            tx.data(),
            tx.gasLimit(),
            price,
            tx.accessList(),
            new Hash(tx.hash()),
            env);
    state.addBalance(from, BigInteger.valueOf(tx.gasLimit() - o.gasUsed()).multiply(price));
    BigInteger tip = price.subtract(env.baseFee()).multiply(BigInteger.valueOf(o.gasUsed()));
    if (tip.signum() > 0) {
      state.addBalance(new Address(env.coinbase()), tip);
    }
    state.finalizeChanges();
    return o;
  }

  /**
   * Runs a call (eth_call, eth_estimateGas) without charging fees. The caller works on a state it
   * throws away afterwards.
   */
  static Outcome applyCall(
      StateDB state,
      String from,
      String to,
      BigInteger value,
      byte[] data,
      long gasLimit,
      BigInteger gasPrice,
      BlockEnv env) {
    long intrinsic = TxRules.intrinsicGas(data, to == null, List.of());
    if (gasLimit < intrinsic) {
      throw RpcException.rejected(
          "intrinsic gas too low: have " + gasLimit + ", want " + intrinsic);
    }
    if (value.signum() > 0 && state.getBalance(new Address(from)).compareTo(value) < 0) {
      throw RpcException.rejected(
          "insufficient funds for transfer: address " + Keys.toChecksumAddress(from));
    }
    return run(state, from, to, value, data, gasLimit, gasPrice, List.of(), Hash.ZERO, env);
  }

  /**
   * libevm drops the return data of every create (it would be the deployed code), so a reverting
   * constructor loses its revert reason. This recovers it on a throwaway state by running the init
   * code as the code of the would-be contract address, with the same sender, value and gas:
   * CODECOPY still sees the appended constructor arguments. Returns null if that run does not
   * revert (e.g. a constructor that inspects its own code size).
   */
  static byte[] constructorRevertData(
      StateDB state,
      String fromHex,
      BigInteger value,
      byte[] initCode,
      long gasLimit,
      BigInteger gasPrice,
      BlockEnv env) {
    Address from = new Address(fromHex);
    BigInteger nonce = state.getNonce(from);
    Address contract = new Address(ContractUtils.generateContractAddress(fromHex, nonce));
    state.setNonce(from, nonce.add(BigInteger.ONE));
    state.setCode(contract, initCode);
    state.setNonce(contract, BigInteger.ONE); // EIP-161: what evm.Create gives a new contract
    state.accessSetup(from, contract, new Address(env.coinbase()), BlockEnv.RULES);
    long intrinsic = TxRules.intrinsicGas(initCode, true, List.of());
    InvocationResult r =
        Evm.Apply(
            state,
            new Invocation(
                from,
                contract,
                value,
                new byte[0],
                BigInteger.valueOf(Math.max(0, gasLimit - intrinsic)),
                false),
            env.context(gasPrice));
    return r.reverted ? r.returnData : null;
  }

  private static Outcome run(
      StateDB state,
      String fromHex,
      String toHex,
      BigInteger value,
      byte[] data,
      long gasLimit,
      BigInteger gasPrice,
      List<SignedTx.AccessEntry> accessList,
      Hash txHash,
      BlockEnv env) {
    Address from = new Address(fromHex);
    Address to = toHex == null ? null : new Address(toHex);
    // geth's evm.Create bumps the caller nonce itself, evm.Call does not. libevm expects the
    // caller to have bumped it already and undoes one bump for creates, so bumping here gives
    // exactly +1 either way and the contract address comes from the pre-transaction nonce.
    state.setNonce(from, state.getNonce(from).add(BigInteger.ONE));
    // EIP-2929/3651: sender, recipient, precompiles and coinbase start warm.
    state.accessSetup(from, to, new Address(env.coinbase()), BlockEnv.RULES);
    for (SignedTx.AccessEntry e : accessList) {
      Address a = new Address(e.address());
      state.accessAccount(a);
      for (String slot : e.storageKeys()) {
        state.accessSlot(a, new Hash(slot));
      }
    }
    state.setTxContext(txHash, 0);
    long intrinsic = TxRules.intrinsicGas(data, to == null, accessList);
    InvocationResult r =
        Evm.Apply(
            state,
            new Invocation(from, to, value, data, BigInteger.valueOf(gasLimit - intrinsic), false),
            env.context(gasPrice));
    boolean ok = r.executionError == null || r.executionError.isEmpty();
    long used = gasLimit - r.leftOverGas.longValueExact();
    long refund = Math.min(state.getRefund().longValueExact(), used / REFUND_QUOTIENT);
    used -= refund;
    List<LogEntry> logs = new ArrayList<>();
    EvmLog[] emitted = ok ? state.getLogs(txHash) : null;
    if (emitted != null) {
      for (EvmLog l : emitted) {
        List<String> topics = new ArrayList<>();
        for (Hash t : l.topics == null ? new Hash[0] : l.topics) {
          topics.add(t.toString());
        }
        logs.add(new LogEntry(l.address.toString(), topics, l.data == null ? new byte[0] : l.data));
      }
    }
    // libevm reports an address for failed deploys too; only a successful one created code.
    String created =
        ok && to == null && r.contractAddress != null ? r.contractAddress.toString() : null;
    byte[] ret = r.returnData == null ? new byte[0] : r.returnData;
    return new Outcome(
        ok, r.reverted, ok ? null : r.executionError, ret, used, refund, created, logs);
  }
}
