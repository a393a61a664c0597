package io.layerproof.wallet.eip712;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EcdsaSignature;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.LedgerDomain;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;

/**
 * The gateway's EIP-712 domain and the hashing and signing of its structs ({@link ChatRequest},
 * {@link SessionGrant}, {@link RevokeSession}):
 *
 * <pre>
 * EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)
 * name = "Layerproof Gateway", version = "1", chainId = the chain's id,
 * verifyingContract = the JobMarket address
 * digest = keccak256(0x19 0x01 || domainSeparator || hashStruct(message))
 * </pre>
 *
 * The domain differs from JobMarket's own ("Layerproof JobMarket"), so a gateway signature can
 * never be replayed as an on-chain job request or the other way round. Signatures are 65 bytes
 * {@code r || s || v} with low {@code s} and {@code v} = 27 or 28, what {@code
 * eth_signTypedData_v4}, ethers' {@code signTypedData} and OpenZeppelin's ECDSA use.
 */
public final class GatewayEip712 {

  public static final String NAME = "Layerproof Gateway";
  public static final String VERSION = "1";
  public static final String DOMAIN_TYPE =
      "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";

  private static final List<TypedField> DOMAIN_FIELDS =
      List.of(
          new TypedField("name", "string"),
          new TypedField("version", "string"),
          new TypedField("chainId", "uint256"),
          new TypedField("verifyingContract", "address"));
  private static final Bytes32 DOMAIN_TYPEHASH = Bytes32.of(TypedEncoding.keccak(DOMAIN_TYPE));
  private static final ObjectMapper JSON = new ObjectMapper();

  private GatewayEip712() {}

  /** hashStruct of the domain for this deployment (chain id, JobMarket address). */
  public static Bytes32 domainSeparator(LedgerDomain domain) {
    Objects.requireNonNull(domain, "domain");
    return Bytes32.of(
        TypedEncoding.structHash(
            DOMAIN_TYPEHASH,
            DOMAIN_FIELDS,
            List.of(NAME, VERSION, BigInteger.valueOf(domain.chainId()), domain.contract())));
  }

  /**
   * The 32-byte digest that is signed.
   *
   * @throws IllegalArgumentException when a member of {@code message} is out of bounds
   */
  public static Bytes32 digest(LedgerDomain domain, GatewayMessage message) {
    byte[] buf = new byte[66];
    buf[0] = 0x19;
    buf[1] = 0x01;
    domainSeparator(domain).copyTo(buf, 2);
    message.structHash().copyTo(buf, 34);
    return Bytes32.of(Hash.sha3(buf));
  }

  /**
   * Signs {@code message} for {@code domain}: 65 bytes r || s || v, s low, v = 27 or 28
   * (deterministic, RFC 6979).
   *
   * @throws IllegalArgumentException when a member of {@code message} is out of bounds
   */
  public static EcdsaSignature sign(
      LedgerDomain domain, GatewayMessage message, Credentials signer) {
    return signDigest(digest(domain, message), signer);
  }

  /** Signs a 32-byte digest as it stands (no prefix, no further hashing). */
  public static EcdsaSignature signDigest(Bytes32 digest, Credentials signer) {
    Objects.requireNonNull(signer, "signer");
    Sign.SignatureData sig = Sign.signMessage(digest.toByteArray(), signer.getEcKeyPair(), false);
    byte[] out = new byte[65];
    System.arraycopy(sig.getR(), 0, out, 0, 32);
    System.arraycopy(sig.getS(), 0, out, 32, 32);
    out[64] = sig.getV()[0];
    return EcdsaSignature.of(out);
  }

  /**
   * The typed data as {@code eth_signTypedData_v4} takes it (MetaMask and other wallets can sign
   * it): {@code {types, primaryType, domain, message}}, chainId a JSON number, uint members decimal
   * strings, bytes32 and addresses 0x-hex.
   */
  public static String typedDataJson(LedgerDomain domain, GatewayMessage message) {
    message
        .boundsViolation()
        .ifPresent(
            v -> {
              throw new IllegalArgumentException(message.primaryType() + ": " + v);
            });
    ObjectNode root = JSON.createObjectNode();
    ObjectNode types = root.putObject("types");
    types.set("EIP712Domain", fieldList(DOMAIN_FIELDS));
    types.set(message.primaryType(), fieldList(message.fields()));
    root.put("primaryType", message.primaryType());
    ObjectNode d = root.putObject("domain");
    d.put("name", NAME);
    d.put("version", VERSION);
    d.put("chainId", domain.chainId());
    d.put("verifyingContract", domain.contract().toString());
    ObjectNode m = root.putObject("message");
    List<TypedField> fields = message.fields();
    List<Object> values = message.values();
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i).name();
      Object v = values.get(i);
      if (v instanceof String s) {
        m.put(name, s);
      } else if (v instanceof Bytes32 || v instanceof EthAddress) {
        m.put(name, v.toString());
      } else {
        m.put(name, TypedEncoding.toBigInteger(v).toString());
      }
    }
    return root.toString();
  }

  private static ArrayNode fieldList(List<TypedField> fields) {
    ArrayNode a = JSON.createArrayNode();
    for (TypedField f : fields) {
      a.addObject().put("name", f.name()).put("type", f.type());
    }
    return a;
  }
}
