package io.layerproof.p2p.security.noise;

import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerPublicKey;

/** The authenticated remote of a completed Noise handshake. */
public record SecureSession(
    PeerId remotePeerId, PeerPublicKey remotePublicKey, boolean initiator) {}
