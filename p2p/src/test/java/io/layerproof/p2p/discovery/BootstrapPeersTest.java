package io.layerproof.p2p.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapPeersTest {

  /** The Ed25519 example id of the peer-ids spec. */
  static final String SPEC_ID = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

  @Test
  void addressesAreGroupedByPeerInOrder() {
    PeerId other = PeerKey.generate().peerId();
    List<BootstrapPeers.Peer> peers =
        BootstrapPeers.parse(
            List.of(
                "/ip4/192.0.2.1/tcp/4001/p2p/" + SPEC_ID,
                " /ip4/192.0.2.2/tcp/4001/p2p/" + other + "\n",
                "/dns4/boot.example/tcp/4001/p2p/" + SPEC_ID,
                "/ip4/192.0.2.1/tcp/4001/p2p/" + SPEC_ID));
    assertEquals(2, peers.size());
    assertEquals(PeerId.fromString(SPEC_ID), peers.get(0).id());
    assertEquals(
        List.of(
            "/ip4/192.0.2.1/tcp/4001/p2p/" + SPEC_ID, "/dns4/boot.example/tcp/4001/p2p/" + SPEC_ID),
        peers.get(0).multiaddrs());
    assertEquals(other, peers.get(1).id());
  }

  @Test
  void badAddressesAreRefusedByName() {
    for (String bad :
        List.of(
            "",
            "/ip4/192.0.2.1/tcp/4001",
            "/ip4/192.0.2.1/tcp/4001/p2p/",
            "/ip4/192.0.2.1/tcp/4001/p2p/QmNotAPeerId",
            "/ip4/192.0.2.1/tcp/4001/p2p/" + SPEC_ID + "/tcp/1",
            "ip4/192.0.2.1/tcp/4001/p2p/" + SPEC_ID,
            "/ip4/192.0.2.1/tcp/4001/p2p/" + SPEC_ID.substring(1),
            "/ip4/192.0.2.1 /tcp/4001/p2p/" + SPEC_ID)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> BootstrapPeers.parse(List.of(bad)));
      assertTrue(e.getMessage().contains("bad bootstrap address"), e.getMessage());
    }
    List<String> nulls = new java.util.ArrayList<>();
    nulls.add(null);
    assertThrows(IllegalArgumentException.class, () -> BootstrapPeers.parse(nulls));
  }

  @Test
  void theCidFormOfAPeerIdIsAccepted() {
    PeerId id = PeerId.fromString(SPEC_ID);
    assertEquals(id, P2pAddrs.peerId("/ip4/192.0.2.1/tcp/4001/p2p/" + id.toCid()));
  }
}
