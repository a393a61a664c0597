package io.layerproof.p2p.transport;

import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.multiaddr.Multiaddr;
import io.layerproof.p2p.multistream.MultistreamHandler;
import io.layerproof.p2p.security.noise.NoiseHandshake;
import io.layerproof.p2p.security.noise.NoiseHandshakeHandler;
import io.layerproof.p2p.security.noise.SecureSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns a raw byte channel into an {@link UpgradedConnection}: multistream-select {@code /noise},
 * the Noise handshake, then multistream-select of the muxer inside the secure channel, then the
 * {@link MuxerFactory}. Each stage installs the next from its success callback, so bytes the remote
 * pipelines across a stage boundary land in the right handler.
 */
final class ConnectionUpgrader {

  private final PeerKey localKey;
  private final TransportConfig config;
  private final MuxerFactory muxers;

  ConnectionUpgrader(PeerKey localKey, TransportConfig config, MuxerFactory muxers) {
    this.localKey = localKey;
    this.config = config;
    this.muxers = muxers;
  }

  /** Adds the first stage to {@code channel}; may be called before the channel is active. */
  CompletableFuture<UpgradedConnection> upgrade(
      Channel channel, boolean initiator, Optional<PeerId> expected) {
    CompletableFuture<UpgradedConnection> result = new CompletableFuture<>();
    String security = NoiseHandshake.PROTOCOL_ID;
    MultistreamHandler select =
        initiator
            ? MultistreamHandler.initiator(
                List.of(security),
                config.handshakeTimeout(),
                (ctx, p) -> addNoise(ctx, initiator, expected, result))
            : MultistreamHandler.responder(
                Set.of(security),
                config.handshakeTimeout(),
                (ctx, p) -> addNoise(ctx, initiator, expected, result));
    failOn(select.result(), "security negotiation", result);
    channel
        .closeFuture()
        .addListener(
            f ->
                result.completeExceptionally(
                    new UpgradeException("connection closed during the upgrade", null)));
    // One deadline for the whole upgrade, on top of each stage's own.
    var deadline =
        channel
            .eventLoop()
            .schedule(
                () -> {
                  if (result.completeExceptionally(
                      new UpgradeException(
                          "upgrade not done within " + config.handshakeTimeout(), null))) {
                    channel.close();
                  }
                },
                config.handshakeTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    result.whenComplete((c, e) -> deadline.cancel(false));
    channel.pipeline().addLast("select-security", select);
    return result;
  }

  private void addNoise(
      ChannelHandlerContext ctx,
      boolean initiator,
      Optional<PeerId> expected,
      CompletableFuture<UpgradedConnection> result) {
    NoiseHandshakeHandler.NextStage next =
        (codecCtx, session) -> addMuxerSelect(codecCtx, session, result);
    NoiseHandshakeHandler noise =
        initiator
            ? NoiseHandshakeHandler.initiator(localKey, expected, config.handshakeTimeout(), next)
            : NoiseHandshakeHandler.responder(localKey, config.handshakeTimeout(), next);
    failOn(noise.result(), "Noise handshake", result);
    ctx.pipeline().addAfter(ctx.name(), "noise-handshake", noise);
  }

  private void addMuxerSelect(
      ChannelHandlerContext codecCtx,
      SecureSession session,
      CompletableFuture<UpgradedConnection> result) {
    MultistreamHandler.NextStage next =
        (ctx, muxer) -> {
          Channel ch = ctx.channel();
          Multiaddr remote =
              Multiaddr.tcp((InetSocketAddress) ch.remoteAddress())
                  .withPeerId(session.remotePeerId());
          UpgradedConnection conn =
              new UpgradedConnection(
                  ch,
                  session.initiator(),
                  session.remotePeerId(),
                  session.remotePublicKey(),
                  remote,
                  muxer);
          muxers.install(conn);
          result.complete(conn);
        };
    MultistreamHandler select =
        session.initiator()
            ? MultistreamHandler.initiator(muxers.protocols(), config.handshakeTimeout(), next)
            : MultistreamHandler.responder(
                new HashSet<>(muxers.protocols()), config.handshakeTimeout(), next);
    failOn(select.result(), "muxer negotiation", result);
    codecCtx.pipeline().addAfter(codecCtx.name(), "select-muxer", select);
  }

  private static void failOn(
      CompletableFuture<?> stage, String name, CompletableFuture<UpgradedConnection> result) {
    stage.whenComplete(
        (v, e) -> {
          if (e != null) {
            result.completeExceptionally(
                new UpgradeException(name + " failed: " + e.getMessage(), e));
          }
        });
  }
}
