package io.layerproof.chain.devnet;

import io.horizen.evm.Address;
import io.horizen.evm.Hash;
import io.horizen.evm.StateDB;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.Keys;

/**
 * The checks a node makes before executing a transaction (libevm makes none of them), with geth's
 * error texts so clients and tests recognise them. Shanghai rules: EIP-3860 initcode limits and
 * word cost, EIP-2930 access list costs, EIP-1559 fee caps, EIP-3607 sender must be an EOA.
 */
final class TxRules {

  static final long TX_GAS = 21_000;
  static final long TX_CREATE_GAS = 53_000;
  static final long DATA_ZERO_GAS = 4;
  static final long DATA_NONZERO_GAS = 16;
  static final long INITCODE_WORD_GAS = 2;
  static final long ACCESS_LIST_ADDRESS_GAS = 2_400;
  static final long ACCESS_LIST_SLOT_GAS = 1_900;
  static final int MAX_INITCODE_SIZE = 2 * 24_576;

  private TxRules() {}

  static long intrinsicGas(byte[] data, boolean create, List<SignedTx.AccessEntry> accessList) {
    long gas = create ? TX_CREATE_GAS : TX_GAS;
    long nonZero = 0;
    for (byte b : data) {
      if (b != 0) {
        nonZero++;
      }
    }
    gas += nonZero * DATA_NONZERO_GAS + (data.length - nonZero) * DATA_ZERO_GAS;
    if (create) {
      gas += ((data.length + 31L) / 32) * INITCODE_WORD_GAS;
    }
    for (SignedTx.AccessEntry e : accessList) {
      gas += ACCESS_LIST_ADDRESS_GAS + e.storageKeys().size() * ACCESS_LIST_SLOT_GAS;
    }
    return gas;
  }

  /** Checks that need no state: chain id, limits, fee caps, intrinsic gas. */
  static void checkStateless(SignedTx tx, DevnetGenesis genesis) {
    if (tx.chainId() != genesis.chainId()) {
      throw RpcException.rejected(
          "invalid chain id for signer: have " + tx.chainId() + " want " + genesis.chainId());
    }
    if (tx.gasLimit() > genesis.blockGasLimit()) {
      throw RpcException.rejected("exceeds block gas limit");
    }
    if (tx.isCreate() && tx.data().length > MAX_INITCODE_SIZE) {
      throw RpcException.rejected(
          "max initcode size exceeded: code size "
              + tx.data().length
              + " limit "
              + MAX_INITCODE_SIZE);
    }
    String sender = Keys.toChecksumAddress(tx.from());
    if (tx.maxPriorityFeePerGas().compareTo(tx.maxFeePerGas()) > 0) {
      throw RpcException.rejected(
          "max priority fee per gas higher than max fee per gas: address "
              + sender
              + ", maxPriorityFeePerGas: "
              + tx.maxPriorityFeePerGas()
              + ", maxFeePerGas: "
              + tx.maxFeePerGas());
    }
    if (tx.maxFeePerGas().compareTo(genesis.baseFeePerGas()) < 0) {
      throw RpcException.rejected(
          "max fee per gas less than block base fee: address "
              + sender
              + ", maxFeePerGas: "
              + tx.maxFeePerGas()
              + ", baseFee: "
              + genesis.baseFeePerGas());
    }
    long intrinsic = intrinsicGas(tx.data(), tx.isCreate(), tx.accessList());
    if (tx.gasLimit() < intrinsic) {
      throw RpcException.rejected(
          "intrinsic gas too low: have " + tx.gasLimit() + ", want " + intrinsic);
    }
  }

  /** Nonce (no mempool: only the next one), EOA sender, and funds for gas * feeCap + value. */
  static void checkAgainstState(SignedTx tx, StateDB state) {
    Address from = new Address(tx.from());
    long stateNonce = state.getNonce(from).longValueExact();
    String sender = Keys.toChecksumAddress(tx.from());
    if (tx.nonce() < stateNonce) {
      throw RpcException.rejected(
          "nonce too low: address " + sender + ", tx: " + tx.nonce() + " state: " + stateNonce);
    }
    if (tx.nonce() > stateNonce) {
      throw RpcException.rejected(
          "nonce too high: address " + sender + ", tx: " + tx.nonce() + " state: " + stateNonce);
    }
    if (tx.nonce() == Long.MAX_VALUE) {
      throw RpcException.rejected(
          "nonce has max value: address " + sender + ", nonce: " + tx.nonce());
    }
    Hash codeHash = state.getCodeHash(from);
    if (!codeHash.equals(StateDB.EMPTY_CODE_HASH) && !codeHash.equals(Hash.ZERO)) {
      throw RpcException.rejected(
          "sender not an eoa: address " + sender + ", codehash: " + codeHash);
    }
    BigInteger want = BigInteger.valueOf(tx.gasLimit()).multiply(tx.maxFeePerGas()).add(tx.value());
    BigInteger have = state.getBalance(from);
    if (have.compareTo(want) < 0) {
      throw RpcException.rejected(
          "insufficient funds for gas * price + value: address "
              + sender
              + " have "
              + have
              + " want "
              + want);
    }
  }
}
