package io.layerproof.chain.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.horizen.evm.Address;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * Development methods named and shaped like anvil's, so one test harness drives both chains:
 * anvil_setBalance / setNonce / setCode, evm_increaseTime, evm_setNextBlockTimestamp, evm_mine,
 * evm_snapshot, evm_revert.
 */
final class DevRpcMethods {

  private DevRpcMethods() {}

  static Map<String, RpcDispatcher.Method> register(EmbeddedChain chain) {
    Map<String, RpcDispatcher.Method> t = new HashMap<>();
    t.put(
        "anvil_setBalance",
        p -> {
          p.atMost(2);
          Address a = new Address(p.address(0));
          BigInteger wei = p.quantity(1);
          chain.mutateState(st -> st.setBalance(a, wei));
          return NullNode.instance;
        });
    t.put(
        "anvil_setNonce",
        p -> {
          p.atMost(2);
          Address a = new Address(p.address(0));
          long nonce = p.longQuantity(1);
          chain.mutateState(st -> st.setNonce(a, BigInteger.valueOf(nonce)));
          return NullNode.instance;
        });
    t.put(
        "anvil_setCode",
        p -> {
          p.atMost(2);
          Address a = new Address(p.address(0));
          byte[] code = p.data(1);
          chain.mutateState(st -> st.setCode(a, code));
          return NullNode.instance;
        });
    // anvil answers the total offset as a plain JSON number.
    t.put(
        "evm_increaseTime", p -> LongNode.valueOf(chain.increaseTime(p.atMost(1).longQuantity(0))));
    t.put(
        "evm_setNextBlockTimestamp",
        p -> {
          chain.setNextBlockTimestamp(p.atMost(1).longQuantity(0));
          return NullNode.instance;
        });
    t.put(
        "evm_mine",
        p -> {
          p.atMost(1);
          chain.mine(mineTimestamp(p));
          return TextNode.valueOf("0x0");
        });
    t.put("evm_snapshot", p -> EthRpcMethods.q(chain.snapshot()));
    t.put("evm_revert", p -> BooleanNode.valueOf(chain.revert(p.atMost(1).longQuantity(0))));
    return t;
  }

  /** evm_mine takes nothing, a timestamp, or {timestamp: ...} like anvil. */
  private static Long mineTimestamp(RpcParams p) {
    JsonNode n = p.opt(0);
    if (n == null) {
      return null;
    }
    if (n.isObject()) {
      if (n.hasNonNull("blocks") && p.longQuantity(0, n.get("blocks")) != 1) {
        throw RpcParams.bad(0, "mining more than one block per call is not supported");
      }
      return n.hasNonNull("timestamp") ? p.longQuantity(0, n.get("timestamp")) : null;
    }
    return p.longQuantity(0, n);
  }
}
