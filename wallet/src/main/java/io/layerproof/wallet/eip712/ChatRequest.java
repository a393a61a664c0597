package io.layerproof.wallet.eip712;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.contracts.generated.JobMarket;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A buyer's signed chat completion request. What is signed is JobMarket's own job request, in
 * JobMarket's EIP-712 domain, so the same signature authorises the gateway call, travels in the
 * ledger's {@code JobPosted} envelope and opens the job on chain ({@code JobMarket.openJob}):
 *
 * <pre>
 * JobRequest(bytes32 model,bytes32 messagesHash,uint256 maxTokens,uint256 maxPrice,uint256 nonce,uint256 expiry)
 * model = keccak256(UTF-8 bytes of the model id)
 * </pre>
 *
 * {@code model} (the id, kept as text here; {@link #modelHash()} is what is signed) and {@code
 * maxTokens} are the OpenAI body's {@code model} and {@code max_tokens}; {@code messagesHash} is
 * {@link MessagesHash} of its {@code messages}; {@code maxPrice} is the most the buyer pays (token
 * base units), {@code nonce} is never to be accepted twice (JobMarket keeps it on chain; the
 * gateway refuses repeats before that), {@code expiry} is in Unix seconds and the request is valid
 * while {@code now < expiry}. The digest is JobMarket's jobId for the request.
 *
 * <p>Bounds: model 1..{@value #MAX_MODEL_BYTES} UTF-8 bytes of well-formed Unicode, maxTokens
 * 1..2^32-1, maxPrice 1..2^256-1, nonce 0..2^256-1, expiry 1..2^63-1 (a Java long; later expiries
 * are refused).
 */
public record ChatRequest(
    String model,
    Bytes32 messagesHash,
    long maxTokens,
    BigInteger maxPrice,
    BigInteger nonce,
    long expiry)
    implements GatewayMessage {

  /** The struct's name: JobMarket's {@code JobRequest}. */
  public static final String PRIMARY_TYPE = "JobRequest";

  /** The exact EIP-712 type string (its keccak256 is the type hash): JobMarket's. */
  public static final String TYPE = JobMarketEip712.JOB_REQUEST_TYPE;

  public static final int MAX_MODEL_BYTES = 256;
  public static final long MAX_TOKENS_LIMIT = 0xFFFF_FFFFL;

  private static final List<TypedField> FIELDS =
      List.of(
          new TypedField("model", "bytes32"),
          new TypedField("messagesHash", "bytes32"),
          new TypedField("maxTokens", "uint256"),
          new TypedField("maxPrice", "uint256"),
          new TypedField("nonce", "uint256"),
          new TypedField("expiry", "uint256"));

  public ChatRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(messagesHash, "messagesHash");
    Objects.requireNonNull(maxPrice, "maxPrice");
    Objects.requireNonNull(nonce, "nonce");
  }

  /** keccak256 of {@code model}'s UTF-8 bytes: the {@code bytes32 model} member that is signed. */
  public static Bytes32 modelHash(String model) {
    if (!TypedEncoding.isWellFormed(model)) {
      throw new IllegalArgumentException("model is not well-formed Unicode");
    }
    return Bytes32.keccak(model.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * keccak256 of the model id's UTF-8 bytes, the signed {@code model} member.
   *
   * @throws IllegalArgumentException when the model id is not well-formed Unicode
   */
  public Bytes32 modelHash() {
    return modelHash(model);
  }

  /**
   * The request as JobMarket's Web3j wrapper takes it ({@code openJob}).
   *
   * @throws IllegalArgumentException when a member is out of bounds
   */
  public JobMarket.JobRequest toJobRequest() {
    checkBounds();
    return new JobMarket.JobRequest(
        modelHash().toByteArray(),
        messagesHash.toByteArray(),
        BigInteger.valueOf(maxTokens),
        maxPrice,
        nonce,
        BigInteger.valueOf(expiry));
  }

  /**
   * The EIP-712 digest under JobMarket's domain for {@code domain} (its chain id and JobMarket
   * address): the jobId JobMarket gives this request. Computed by {@link
   * JobMarketEip712#jobRequestDigest}, the chain module's encoding.
   *
   * @throws IllegalArgumentException when a member is out of bounds
   */
  public Bytes32 digest(LedgerDomain domain) {
    Objects.requireNonNull(domain, "domain");
    return Bytes32.of(
        JobMarketEip712.jobRequestDigest(
            domain.chainId(), domain.contract().toString(), toJobRequest()));
  }

  @Override
  public String primaryType() {
    return PRIMARY_TYPE;
  }

  @Override
  public List<TypedField> fields() {
    return FIELDS;
  }

  /**
   * The signed values: the model's hash (not its id), messagesHash, then the four integers.
   *
   * @throws IllegalArgumentException when the model id is not well-formed Unicode
   */
  @Override
  public List<Object> values() {
    return List.of(modelHash(), messagesHash, maxTokens, maxPrice, nonce, expiry);
  }

  @Override
  public Optional<String> boundsViolation() {
    if (model.isEmpty()) {
      return Optional.of("model is empty");
    }
    if (!TypedEncoding.isWellFormed(model)) {
      return Optional.of("model is not well-formed Unicode");
    }
    if (TypedEncoding.utf8Length(model) > MAX_MODEL_BYTES) {
      return Optional.of("model is longer than " + MAX_MODEL_BYTES + " UTF-8 bytes");
    }
    if (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT) {
      return Optional.of("maxTokens must be 1..2^32-1, got " + maxTokens);
    }
    Optional<String> v = TypedEncoding.uintViolation("maxPrice", 256, maxPrice);
    if (v.isPresent()) {
      return v;
    }
    if (maxPrice.signum() == 0) {
      return Optional.of("maxPrice must be positive");
    }
    v = TypedEncoding.uintViolation("nonce", 256, nonce);
    if (v.isPresent()) {
      return v;
    }
    if (expiry < 1) {
      return Optional.of("expiry must be 1..2^63-1 Unix seconds, got " + expiry);
    }
    return Optional.empty();
  }

  private void checkBounds() {
    boundsViolation()
        .ifPresent(
            v -> {
              throw new IllegalArgumentException(PRIMARY_TYPE + ": " + v);
            });
  }
}
