package io.layerproof.node.gateway;

import io.layerproof.chain.event.Bytes32;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What {@code GET /v1/jobs/{id}} and {@code GET /v1/jobs/{id}/audit} answer. Both may block (they
 * read the ledger and the chain); empty means nobody knows the job (404).
 */
public interface JobQueries {

  /** The job's state on chain and its events on the ledger. */
  Optional<JsonObject> job(Bytes32 id);

  /** A full audit of the job (the same report as {@code layerproof audit job --json}). */
  Optional<JsonObject> audit(Bytes32 id);
}
