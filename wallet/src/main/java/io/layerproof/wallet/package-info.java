/**
 * The buyer's side of Layerproof: {@link io.layerproof.wallet.keystore Ethereum JSON keystores},
 * the {@link io.layerproof.wallet.eip712 EIP-712 typed data} in JobMarket's domain (chat requests,
 * which are JobMarket's job requests, session grants and revocations), their {@link
 * io.layerproof.wallet.auth wire formats and verification}, and a small {@link
 * io.layerproof.wallet.client client} for buyers. The formats are documented in {@code docs/api.md}
 * ("Signatures").
 */
package io.layerproof.wallet;
