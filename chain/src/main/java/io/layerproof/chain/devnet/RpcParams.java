package io.layerproof.chain.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigInteger;

/**
 * Positional parameters of one call, with parsing that turns any bad input into -32602 and geth's
 * wording ("invalid argument N: ...").
 */
final class RpcParams {

  private final ArrayNode params;

  RpcParams(ArrayNode params) {
    this.params = params;
  }

  int size() {
    return params.size();
  }

  RpcParams atMost(int n) {
    if (params.size() > n) {
      throw RpcException.invalidParams("too many arguments, want at most " + n);
    }
    return this;
  }

  /** The parameter, or null when absent or JSON null. */
  JsonNode opt(int i) {
    JsonNode n = params.get(i);
    return n == null || n.isNull() ? null : n;
  }

  JsonNode required(int i) {
    JsonNode n = opt(i);
    if (n == null) {
      throw RpcException.invalidParams("missing value for required argument " + i);
    }
    return n;
  }

  String text(int i) {
    JsonNode n = required(i);
    if (!n.isTextual()) {
      throw bad(i, "expected a string");
    }
    return n.asText();
  }

  String address(int i) {
    return address(i, text(i));
  }

  String address(int i, String s) {
    try {
      return Hex.address(s);
    } catch (IllegalArgumentException e) {
      throw bad(i, e.getMessage());
    }
  }

  String hash(int i) {
    return hash(i, text(i));
  }

  String hash(int i, String s) {
    try {
      return Hex.hash(s);
    } catch (IllegalArgumentException e) {
      throw bad(i, e.getMessage());
    }
  }

  byte[] data(int i) {
    return data(i, text(i));
  }

  byte[] data(int i, String s) {
    try {
      return Hex.parseData(s);
    } catch (IllegalArgumentException e) {
      throw bad(i, e.getMessage());
    }
  }

  /** A hex quantity; JSON numbers are accepted too (anvil's dev methods take both). */
  BigInteger quantity(int i) {
    return quantity(i, required(i));
  }

  BigInteger quantity(int i, JsonNode n) {
    if (n.isIntegralNumber()) {
      BigInteger v = n.bigIntegerValue();
      if (v.signum() < 0) {
        throw bad(i, "negative number");
      }
      return v;
    }
    if (!n.isTextual()) {
      throw bad(i, "expected a hex quantity");
    }
    try {
      return Hex.parseQuantity(n.asText());
    } catch (IllegalArgumentException e) {
      throw bad(i, e.getMessage());
    }
  }

  long longQuantity(int i) {
    return longQuantity(i, required(i));
  }

  long longQuantity(int i, JsonNode n) {
    BigInteger v = quantity(i, n);
    if (v.bitLength() > 63) {
      throw bad(i, "number too large");
    }
    return v.longValue();
  }

  boolean bool(int i, boolean dflt) {
    JsonNode n = opt(i);
    if (n == null) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw bad(i, "expected a boolean");
    }
    return n.booleanValue();
  }

  static RpcException bad(int i, String why) {
    return RpcException.invalidParams("invalid argument " + i + ": " + why);
  }
}
