package io.layerproof.wallet.auth;

/** Why the gateway refuses a signed request, grant or revocation. */
public enum RejectReason {
  /** A header, body or JSON member is missing or cannot be parsed. */
  MALFORMED_REQUEST,
  /** A member parses but lies outside its bounds (see each struct's documentation). */
  FIELD_OUT_OF_RANGE,
  /**
   * The signature is not 65 bytes, r or s is zero or not below the curve order, or no key recovers.
   */
  MALFORMED_SIGNATURE,
  /** s is in the upper half of the curve order (the malleable twin of a valid signature). */
  HIGH_S,
  /** v is neither 27 nor 28. */
  BAD_V,
  /** The message names another chain id or JobMarket address than this gateway's. */
  WRONG_DOMAIN,
  /**
   * The signature does not recover to the claimed address: another signer, another domain (chain id
   * or contract), or any member changed after signing.
   */
  WRONG_SIGNER,
  /** The clock reads at or past the message's expiry. */
  EXPIRED
}
