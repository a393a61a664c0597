package io.layerproof.p2p.transport;

import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerPublicKey;
import io.layerproof.p2p.multiaddr.Multiaddr;
import io.netty.channel.Channel;

/**
 * A connection past the upgrade: authenticated by Noise, with a muxer agreed.
 *
 * @param channel its pipeline now carries plaintext: reads are decrypted bytes, writes of {@code
 *     ByteBuf} are encrypted
 * @param initiator whether this side dialed
 * @param remoteAddress the remote's socket address, with {@code /p2p/<remotePeerId>}
 * @param muxer the agreed muxer protocol id, e.g. {@code /yamux/1.0.0}
 */
public record UpgradedConnection(
    Channel channel,
    boolean initiator,
    PeerId remotePeerId,
    PeerPublicKey remotePublicKey,
    Multiaddr remoteAddress,
    String muxer) {}
