package io.layerproof.node.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.NodeId;
import io.layerproof.node.testing.TestIds;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerViewTest {
  @Test
  void majorityCountsSelfAndIgnoresStrangers() {
    Set<NodeId> five = Set.of(n("a"), n("b"), n("c"), n("d"), n("e"));
    PeerView v = new PeerView(n("a"), Membership.of(five));
    assertFalse(v.seesMajority());
    v.apply(new PeerEvent(n("b"), true));
    v.apply(new PeerEvent(n("mallory"), true));
    assertFalse(v.seesMajority(), "2 of 5 (a stranger does not count)");
    v.apply(new PeerEvent(n("c"), true));
    assertTrue(v.seesMajority(), "3 of 5");
    v.apply(new PeerEvent(n("b"), false));
    assertFalse(v.seesMajority());
    assertEquals(Set.of(n("c")), v.peers());
  }

  private static NodeId n(String s) {
    return TestIds.named(s);
  }
}
