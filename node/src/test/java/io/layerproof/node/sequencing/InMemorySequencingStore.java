package io.layerproof.node.sequencing;

import java.util.Optional;

/** The {@link SequencingStore} port in memory; it survives a simulated restart of its node. */
public final class InMemorySequencingStore implements SequencingStore {
  private AnchorMark mark;
  private ProposedBatch pin;

  @Override
  public Optional<AnchorMark> loadMark() {
    return Optional.ofNullable(mark);
  }

  @Override
  public void saveMark(AnchorMark m) {
    mark = m;
  }

  @Override
  public Optional<ProposedBatch> loadPin() {
    return Optional.ofNullable(pin);
  }

  @Override
  public void savePin(ProposedBatch p) {
    pin = p;
  }

  @Override
  public void clearPin() {
    pin = null;
  }
}
