package io.layerproof.verifier.escalation;

import java.util.List;

/** The result of {@link Escalation#apply}: the next state and what the caller must now do. */
public record Transition(EscalationState state, List<Effect> effects) {
  public Transition {
    effects = List.copyOf(effects);
  }
}
