package io.layerproof.p2p.discovery;

import java.io.Closeable;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/**
 * The socket under {@link MdnsDiscovery}: sends packets to the mDNS group and hands over what
 * arrives from it. Replaceable so the protocol can be tested without multicast.
 */
public interface MdnsTransport extends Closeable {

  /**
   * Starts delivering received packets (payload, sender) to {@code receiver}, on a thread of the
   * transport's own. Called once.
   */
  void start(BiConsumer<byte[], InetSocketAddress> receiver);

  /** Sends {@code packet} to the group; failures are the transport's to log, never thrown. */
  void send(byte[] packet);

  /** Stops receiving and releases the socket; idempotent. */
  @Override
  void close();
}
