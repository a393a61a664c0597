package io.layerproof.wallet.auth;

import io.layerproof.chain.event.EcdsaSignature;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.wallet.eip712.ChatRequest;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link ChatRequest}, the address that claims to have signed it, and the signature: what the
 * {@link ChatHeaders} carry next to the OpenAI body.
 */
public record SignedChatRequest(ChatRequest request, EthAddress address, EcdsaSignature signature) {

  public SignedChatRequest {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(signature, "signature");
  }

  /** The five headers, in {@link ChatHeaders#ALL} order. */
  public Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(ChatHeaders.ADDRESS, address.toString());
    h.put(ChatHeaders.MAX_PRICE, request.maxPrice().toString());
    h.put(ChatHeaders.NONCE, request.nonce().toString());
    h.put(ChatHeaders.EXPIRY, Long.toString(request.expiry()));
    h.put(ChatHeaders.SIGNATURE, signature.toString());
    return h;
  }

  /**
   * Reads a signed request from HTTP: {@code header} looks a header up by name (case-insensitively,
   * as HTTP requires; null when absent), {@code body} is the raw OpenAI request body.
   */
  public static SignedChatRequest fromHttp(Function<String, String> header, byte[] body)
      throws RejectedException {
    EthAddress address = Wire.address(header.apply(ChatHeaders.ADDRESS), ChatHeaders.ADDRESS);
    BigInteger maxPrice = Wire.uint256(header.apply(ChatHeaders.MAX_PRICE), ChatHeaders.MAX_PRICE);
    BigInteger nonce = Wire.uint256(header.apply(ChatHeaders.NONCE), ChatHeaders.NONCE);
    long expiry = Wire.uint63(header.apply(ChatHeaders.EXPIRY), ChatHeaders.EXPIRY);
    byte[] sig = Wire.signatureBytes(header.apply(ChatHeaders.SIGNATURE), ChatHeaders.SIGNATURE);
    Signatures.checkFormat(sig);
    ChatRequest request = ChatBody.parse(body).toRequest(maxPrice, nonce, expiry);
    return new SignedChatRequest(request, address, EcdsaSignature.of(sig));
  }
}
