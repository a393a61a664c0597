package io.layerproof.wallet.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerproof.chain.event.EcdsaSignature;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.wallet.eip712.RevokeSession;
import java.util.Objects;
import java.util.Set;

/**
 * A signed {@link RevokeSession} as {@code POST /v1/sessions/revoke} takes it:
 *
 * <pre>
 * {"address":"0x…","chainId":1337,"verifyingContract":"0x…",
 *  "revoke":{"sessionId":"0x…","nonce":"…"},"signature":"0x…"}
 * </pre>
 *
 * The gateway must also check that the verified signer is the wallet that granted the session.
 */
public record SignedRevocation(
    RevokeSession revoke, EthAddress address, LedgerDomain domain, EcdsaSignature signature) {

  private static final Set<String> TOP =
      Set.of("address", "chainId", "verifyingContract", "revoke", "signature");
  private static final Set<String> REVOKE = Set.of("sessionId", "nonce");

  public SignedRevocation {
    Objects.requireNonNull(revoke, "revoke");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(signature, "signature");
  }

  public String toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("address", address.toString());
    root.put("chainId", domain.chainId());
    root.put("verifyingContract", domain.contract().toString());
    ObjectNode r = root.putObject("revoke");
    r.put("sessionId", revoke.sessionId().toString());
    r.put("nonce", revoke.nonce().toString());
    root.put("signature", signature.toString());
    return root.toString();
  }

  public static SignedRevocation fromJson(byte[] json) throws RejectedException {
    JsonNode root = SignedSessionGrant.readObject(json);
    Wire.onlyMembers(root, TOP, "");
    EthAddress address = Wire.address(Wire.string(root, "address", ""), "address");
    LedgerDomain domain = SignedSessionGrant.domain(root);
    JsonNode r = Wire.object(root, "revoke", "");
    Wire.onlyMembers(r, REVOKE, "revoke.");
    RevokeSession revoke =
        new RevokeSession(
            Wire.bytes32(Wire.string(r, "sessionId", "revoke."), "revoke.sessionId"),
            Wire.uint256(Wire.string(r, "nonce", "revoke."), "revoke.nonce"));
    byte[] sig = Wire.signatureBytes(Wire.string(root, "signature", ""), "signature");
    Signatures.checkFormat(sig);
    return new SignedRevocation(revoke, address, domain, EcdsaSignature.of(sig));
  }
}
