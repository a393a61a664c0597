package io.layerproof.chain.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.AbiTypes;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Turns revert data into a readable error using every custom error declared in the Layerproof ABIs
 * (ours and the OpenZeppelin ones they inherit), plus Solidity's built-in {@code Error(string)} and
 * {@code Panic(uint256)}. The ABIs come from the contracts jar.
 */
public final class RevertDecoder {

  static final String ARTIFACTS = "io/layerproof/contracts/artifacts/";
  static final List<String> CONTRACTS =
      List.of("ComputeToken", "ProviderRegistry", "JobMarket", "LedgerAnchor", "RewardDistributor");

  /** A decoded revert. */
  public record Decoded(String name, String signature, List<Object> args) {
    public Decoded {
      args = List.copyOf(args);
    }

    @Override
    public String toString() {
      StringJoiner j = new StringJoiner(", ", name + "(", ")");
      for (Object a : args) {
        j.add(a instanceof byte[] b ? Numeric.toHexString(b) : String.valueOf(a));
      }
      return j.toString();
    }
  }

  private record ErrorDef(String name, String signature, List<String> types) {}

  private static final RevertDecoder INSTANCE = new RevertDecoder();

  private final Map<String, ErrorDef> bySelector = new HashMap<>();

  private RevertDecoder() {
    add("Error", List.of("string"));
    add("Panic", List.of("uint256"));
    ObjectMapper mapper = new ObjectMapper();
    for (String contract : CONTRACTS) {
      String resource = ARTIFACTS + contract + ".abi";
      try (InputStream in = RevertDecoder.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing " + resource + " (layerproof-contracts jar)");
        }
        for (JsonNode entry : mapper.readTree(in)) {
          if (!"error".equals(entry.path("type").asText())) {
            continue;
          }
          List<String> types = new ArrayList<>();
          for (JsonNode input : entry.path("inputs")) {
            types.add(input.path("type").asText());
          }
          add(entry.path("name").asText(), types);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource, e);
      }
    }
  }

  public static RevertDecoder instance() {
    return INSTANCE;
  }

  private void add(String name, List<String> types) {
    String signature = name + "(" + String.join(",", types) + ")";
    String selector = Numeric.toHexString(Hash.sha3(signature.getBytes())).substring(0, 10);
    bySelector.putIfAbsent(selector, new ErrorDef(name, signature, types));
  }

  /** Decodes {@code revertData} (0x-hex), or returns null if it matches no known error. */
  public Decoded decode(String revertData) {
    if (revertData == null || revertData.length() < 10) {
      return null;
    }
    String hex = Numeric.prependHexPrefix(revertData).toLowerCase();
    ErrorDef def = bySelector.get(hex.substring(0, 10));
    if (def == null) {
      return null;
    }
    try {
      List<TypeReference<Type>> refs = new ArrayList<>();
      for (String t : def.types()) {
        refs.add(typeReference(t));
      }
      List<Type> values = FunctionReturnDecoder.decode(hex.substring(10), refs);
      if (values.size() != refs.size()) {
        return null;
      }
      List<Object> args = new ArrayList<>();
      for (Type v : values) {
        args.add(v.getValue());
      }
      return new Decoded(def.name(), def.signature(), args);
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static TypeReference<Type> typeReference(String solidityType) {
    return TypeReference.create((Class<Type>) AbiTypes.getType(solidityType));
  }
}
