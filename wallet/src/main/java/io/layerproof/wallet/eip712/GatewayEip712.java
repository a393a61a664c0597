package io.layerproof.wallet.eip712;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EcdsaSignature;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.LedgerDomain;
import java.util.List;
import java.util.Objects;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;

/**
 * The EIP-712 domain every wallet signature uses, JobMarket's own, and the hashing and signing of
 * the signed structs ({@link ChatRequest}, which is JobMarket's {@code JobRequest}, {@link
 * SessionGrant}, {@link RevokeSession}):
 *
 * <pre>
 * EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)
 * name = "Layerproof JobMarket", version = "1", chainId = the chain's id,
 * verifyingContract = the JobMarket address
 * digest = keccak256(0x19 0x01 || domainSeparator || hashStruct(message))
 * </pre>
 *
 * This is the domain of {@link JobMarketEip712} and of the contract itself: a signed chat request
 * is the job request JobMarket verifies in {@code openJob} (its digest is the jobId, its nonce is
 * spent on chain), and JobMarket verifies session grants and revocations under the same domain. The
 * chain id and contract address keep a signature for one deployment from passing on another.
 * Signatures are 65 bytes {@code r || s || v} with low {@code s} and {@code v} = 27 or 28, what
 * {@code eth_signTypedData_v4}, ethers' {@code signTypedData} and OpenZeppelin's ECDSA use.
 */
public final class GatewayEip712 {

  /** JobMarket's domain name, {@value JobMarketEip712#NAME}. */
  public static final String NAME = JobMarketEip712.NAME;

  public static final String VERSION = JobMarketEip712.VERSION;
  public static final String DOMAIN_TYPE =
      "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";

  private static final List<TypedField> DOMAIN_FIELDS =
      List.of(
          new TypedField("name", "string"),
          new TypedField("version", "string"),
          new TypedField("chainId", "uint256"),
          new TypedField("verifyingContract", "address"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private GatewayEip712() {}

  /**
   * hashStruct of JobMarket's domain for this deployment (chain id, JobMarket address), as {@link
   * JobMarketEip712#domainSeparator} computes it.
   */
  public static Bytes32 domainSeparator(LedgerDomain domain) {
    Objects.requireNonNull(domain, "domain");
    return Bytes32.of(
        JobMarketEip712.domainSeparator(domain.chainId(), domain.contract().toString()));
  }

  /**
   * The 32-byte digest that is signed. For a {@link ChatRequest} it is {@link
   * JobMarketEip712#jobRequestDigest} of {@link ChatRequest#toJobRequest()}, the jobId.
   *
   * @throws IllegalArgumentException when a member of {@code message} is out of bounds
   */
  public static Bytes32 digest(LedgerDomain domain, GatewayMessage message) {
    if (message instanceof ChatRequest request) {
      return request.digest(domain);
    }
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
