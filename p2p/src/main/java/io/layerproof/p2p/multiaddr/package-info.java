/**
 * Multiaddrs: self-describing network addresses in text and binary form, limited to the protocols
 * this node dials and advertises.
 */
package io.layerproof.p2p.multiaddr;
