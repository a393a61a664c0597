package io.layerproof.wallet.auth;

import java.util.List;

/**
 * The HTTP headers that carry a {@link io.layerproof.wallet.eip712.ChatRequest} signature next to
 * an unmodified OpenAI body. Values: the address and signature as 0x-hex (any case), max price and
 * nonce as decimal uint256 without leading zeros, expiry as decimal Unix seconds.
 */
public final class ChatHeaders {

  public static final String ADDRESS = "X-Layerproof-Address";
  public static final String MAX_PRICE = "X-Layerproof-Max-Price";
  public static final String NONCE = "X-Layerproof-Nonce";
  public static final String EXPIRY = "X-Layerproof-Expiry";
  public static final String SIGNATURE = "X-Layerproof-Signature";

  /** All five, in the order clients write them. */
  public static final List<String> ALL = List.of(ADDRESS, MAX_PRICE, NONCE, EXPIRY, SIGNATURE);

  private ChatHeaders() {}
}
