package io.layerproof.verifier.cheat;

/** The ways a provider can be made to cheat, for tests and demos. */
public enum CheatMode {
  /** No cheat. */
  HONEST,
  /** Chosen layers are not computed: their output is their input. */
  SKIP_LAYERS,
  /** The whole shard runs another model's weights (e.g. another synthetic seed). */
  SUBSTITUTE_MODEL,
  /** Chosen layers' outputs are quantised to int8 (per row, symmetric, absmax scale). */
  DROP_PRECISION,
  /** Chosen layers' outputs get Gaussian noise of a given fraction of the row's RMS. */
  NOISE,
  /** Computes honestly but never answers a reveal. */
  REFUSE_REVEAL
}
