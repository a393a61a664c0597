package io.layerproof.chain.event;

/** Why an event was refused; stable codes for clients, logs and metrics. */
public enum RejectReason {
  /** The wire envelope exceeds {@link EnvelopeFormat#MAX_ENVELOPE_BYTES}. */
  OVERSIZED,
  /** Not JSON, or JSON of the wrong shape (unknown or missing fields, wrong types, floats). */
  MALFORMED,
  /** The body's {@code "v"} is not a version this node reads. */
  UNKNOWN_VERSION,
  /** The event's {@code "type"} names no known event. */
  UNKNOWN_EVENT_TYPE,
  /** A field is out of range or inconsistent (e.g. a negative position, overlapping shards). */
  INVALID_FIELD,
  /** Valid JSON but not the canonical form (key order, whitespace, hex case, leading zeros). */
  NON_CANONICAL,
  /** Signed for another chain. */
  WRONG_CHAIN_ID,
  /** Signed for another deployment (JobMarket address). */
  WRONG_CONTRACT,
  /** The author's Ed25519 signature does not verify (or the author key is not a curve point). */
  BAD_AUTHOR_SIGNATURE,
  /** A buyer-authorised event without the buyer's signature. */
  MISSING_BUYER_SIGNATURE,
  /** A buyer signature on an event no buyer authorises. */
  UNEXPECTED_BUYER_SIGNATURE,
  /** The buyer signature cannot be recovered to any address. */
  BAD_BUYER_SIGNATURE,
  /** The buyer signature recovers to someone other than the event's buyer. */
  WRONG_BUYER,
  /** A JobPosted whose job id is not its request's EIP-712 digest. */
  JOB_ID_MISMATCH,
  /** The event id is already in the log (a replay or a retry that already landed). */
  DUPLICATE_EVENT_ID,
  /** The author's sequence number is not the next one the log expects from it. */
  SEQUENCE_OUT_OF_ORDER
}
