package io.layerproof.p2p.transport;

import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.multiaddr.Multiaddr;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libp2p over TCP on Netty NIO: listens and dials {@code /ip4|ip6|dns*\/.../tcp/<port>} addresses
 * and upgrades every connection (multistream-select {@code /noise}, Noise XX, multistream-select of
 * the muxer) before handing it to the {@link MuxerFactory}. Inbound connections beyond the {@link
 * TransportConfig} limits are closed at accept.
 */
public final class TcpTransport implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);

  private final TransportConfig config;
  private final ConnectionUpgrader upgrader;
  private final ConnectionLimiter limiter;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Bootstrap client;

  public TcpTransport(PeerKey localKey, TransportConfig config, MuxerFactory muxers) {
    this.config = config;
    this.upgrader = new ConnectionUpgrader(localKey, config, muxers);
    this.limiter =
        new ConnectionLimiter(config.maxConnectionsPerIp(), config.maxPendingHandshakes());
    this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    this.client =
        new Bootstrap()
            .group(workers)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis());
  }

  /**
   * Listens on a TCP address ({@code /tcp/0} picks a free port).
   *
   * @return the bound address
   */
  public CompletableFuture<Multiaddr> listen(Multiaddr address) {
    InetSocketAddress bind = address.toSocketAddress();
    ServerBootstrap server =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    accept(ch);
                  }
                });
    CompletableFuture<Multiaddr> result = new CompletableFuture<>();
    server
        .bind(bind)
        .addListener(
            (ChannelFuture f) -> {
              if (f.isSuccess()) {
                channels.add(f.channel());
                Multiaddr bound = Multiaddr.tcp((InetSocketAddress) f.channel().localAddress());
                log.info("listening on {}", bound);
                result.complete(bound);
              } else {
                result.completeExceptionally(f.cause());
              }
            });
    return result;
  }

  private void accept(SocketChannel ch) {
    InetAddress ip = ch.remoteAddress().getAddress();
    if (!limiter.tryAccept(ip)) {
      log.debug("refusing {}: connection limit for {} or pending handshakes reached", ch, ip);
      ch.close();
      return;
    }
    channels.add(ch);
    ch.closeFuture().addListener(f -> limiter.closed(ip));
    upgrader
        .upgrade(ch, false, Optional.empty())
        .whenComplete(
            (conn, e) -> {
              limiter.upgradeDone();
              if (e != null) {
                log.debug("inbound {} not upgraded: {}", ch, e.getMessage());
                ch.close();
              } else {
                log.debug("inbound connection from {}", conn.remoteAddress());
              }
            });
  }

  /**
   * Dials a TCP address and upgrades the connection. With a trailing {@code /p2p/<id>}, the remote
   * must authenticate as that peer.
   */
  public CompletableFuture<UpgradedConnection> dial(Multiaddr address) {
    CompletableFuture<UpgradedConnection> result = new CompletableFuture<>();
    InetSocketAddress target;
    try {
      target = address.toSocketAddress();
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(e);
      return result;
    }
    Optional<PeerId> expected = address.peerId();
    Bootstrap b =
        client
            .clone()
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    channels.add(ch);
                    upgrader
                        .upgrade(ch, true, expected)
                        .whenComplete(
                            (conn, e) -> {
                              if (e != null) {
                                ch.close();
                                result.completeExceptionally(e);
                              } else {
                                result.complete(conn);
                              }
                            });
                  }
                });
    b.connect(target)
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
              }
            });
    return result;
  }

  /** Inbound connections from {@code ip} now open. */
  public int inboundConnections(InetAddress ip) {
    return limiter.connections(ip);
  }

  /** Closes every listener and connection and stops the event loops. */
  @Override
  public void close() {
    channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
