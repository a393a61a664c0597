package io.layerproof.wallet.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerproof.chain.event.EcdsaSignature;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.wallet.eip712.MessagesHash;
import io.layerproof.wallet.eip712.SessionGrant;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;

/**
 * A signed {@link SessionGrant} as {@code POST /v1/sessions} takes it:
 *
 * <pre>
 * {"address":"0x…","chainId":1337,"verifyingContract":"0x…",
 *  "grant":{"sessionId":"0x…","spendingCap":"…","expiry":1900000000,"nonce":"…"},
 *  "signature":"0x…"}
 * </pre>
 *
 * uint256 members are decimal strings, expiry and chainId JSON integers; unknown members are
 * refused. The chain id and contract are the signer's domain, written out so that a grant made for
 * another deployment is refused as {@link RejectReason#WRONG_DOMAIN} rather than as a signer
 * mismatch.
 */
public record SignedSessionGrant(
    SessionGrant grant, EthAddress address, LedgerDomain domain, EcdsaSignature signature) {

  private static final Set<String> TOP =
      Set.of("address", "chainId", "verifyingContract", "grant", "signature");
  private static final Set<String> GRANT = Set.of("sessionId", "spendingCap", "expiry", "nonce");

  public SignedSessionGrant {
    Objects.requireNonNull(grant, "grant");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(signature, "signature");
  }

  public String toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("address", address.toString());
    root.put("chainId", domain.chainId());
    root.put("verifyingContract", domain.contract().toString());
    ObjectNode g = root.putObject("grant");
    g.put("sessionId", grant.sessionId().toString());
    g.put("spendingCap", grant.spendingCap().toString());
    g.put("expiry", grant.expiry());
    g.put("nonce", grant.nonce().toString());
    root.put("signature", signature.toString());
    return root.toString();
  }

  public static SignedSessionGrant fromJson(byte[] json) throws RejectedException {
    JsonNode root = readObject(json);
    Wire.onlyMembers(root, TOP, "");
    EthAddress address = Wire.address(Wire.string(root, "address", ""), "address");
    LedgerDomain domain = domain(root);
    JsonNode g = Wire.object(root, "grant", "");
    Wire.onlyMembers(g, GRANT, "grant.");
    SessionGrant grant =
        new SessionGrant(
            Wire.bytes32(Wire.string(g, "sessionId", "grant."), "grant.sessionId"),
            Wire.uint256(Wire.string(g, "spendingCap", "grant."), "grant.spendingCap"),
            Wire.jsonUint63(g, "expiry", "grant."),
            Wire.uint256(Wire.string(g, "nonce", "grant."), "grant.nonce"));
    byte[] sig = Wire.signatureBytes(Wire.string(root, "signature", ""), "signature");
    Signatures.checkFormat(sig);
    return new SignedSessionGrant(grant, address, domain, EcdsaSignature.of(sig));
  }

  static JsonNode readObject(byte[] json) throws RejectedException {
    if (json == null) {
      throw Wire.malformed("no request body");
    }
    JsonNode root;
    try {
      root = MessagesHash.readStrict(json);
    } catch (IOException e) {
      throw Wire.malformed("the body is not JSON: " + Wire.why(e));
    }
    if (!root.isObject()) {
      throw Wire.malformed("the body must be a JSON object");
    }
    return root;
  }

  static LedgerDomain domain(JsonNode root) throws RejectedException {
    long chainId = Wire.jsonUint63(root, "chainId", "");
    if (chainId == 0) {
      throw Wire.outOfRange("chainId must be positive");
    }
    EthAddress contract =
        Wire.address(Wire.string(root, "verifyingContract", ""), "verifyingContract");
    return new LedgerDomain(chainId, contract);
  }
}
