package io.layerproof.p2p.discovery;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real mDNS socket: an IPv4 {@link DatagramChannel} bound to {@code 0.0.0.0:5353} with
 * SO_REUSEADDR (so several nodes, and the system's own responder, share the port), joined to
 * 224.0.0.251 on one interface, with multicast loopback on so nodes on one host hear each other. A
 * plain blocking channel and one daemon thread: one packet every few seconds needs no event loop.
 */
public final class MulticastTransport implements MdnsTransport {

  private static final Logger LOG = LoggerFactory.getLogger(MulticastTransport.class);

  private final DatagramChannel channel;
  private final InetSocketAddress group;
  private final NetworkInterface nif;
  private volatile boolean closed;

  private MulticastTransport(
      DatagramChannel channel, InetSocketAddress group, NetworkInterface nif) {
    this.channel = channel;
    this.group = group;
    this.nif = nif;
  }

  /** Joins 224.0.0.251:5353 on {@link #defaultInterface()}. */
  public static MulticastTransport open() throws IOException {
    return open(
        defaultInterface().orElseThrow(() -> new IOException("no multicast-capable interface")));
  }

  /** Joins 224.0.0.251:5353 on {@code nif}. */
  public static MulticastTransport open(NetworkInterface nif) throws IOException {
    return open(nif, MdnsDiscovery.PORT);
  }

  /**
   * Joins 224.0.0.251 on {@code nif} and {@code port} (anything but 5353 is for tests that must not
   * meet other mDNS traffic).
   */
  public static MulticastTransport open(NetworkInterface nif, int port) throws IOException {
    InetAddress groupAddress = InetAddress.getByName(MdnsDiscovery.GROUP);
    DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.bind(new InetSocketAddress(port));
      ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
      // RFC 6762 section 11: mDNS is sent with IP TTL 255; receivers may check it.
      ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255);
      ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
      ch.join(groupAddress, nif);
      return new MulticastTransport(ch, new InetSocketAddress(groupAddress, port), nif);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * The first interface that is up, multicast-capable, not loopback and has an IPv4 address (the
   * one peers on the LAN can reach); else the loopback interface, where nodes on this host can
   * still find each other.
   */
  public static Optional<NetworkInterface> defaultInterface() throws SocketException {
    List<NetworkInterface> all =
        new ArrayList<>(Collections.list(NetworkInterface.getNetworkInterfaces()));
    for (NetworkInterface n : all) {
      if (n.isUp() && !n.isLoopback() && !n.isVirtual() && n.supportsMulticast() && hasIpv4(n)) {
        return Optional.of(n);
      }
    }
    for (NetworkInterface n : all) {
      if (n.isUp() && n.isLoopback() && hasIpv4(n)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  private static boolean hasIpv4(NetworkInterface n) {
    return Collections.list(n.getInetAddresses()).stream().anyMatch(a -> a instanceof Inet4Address);
  }

  public NetworkInterface networkInterface() {
    return nif;
  }

  @Override
  public void start(BiConsumer<byte[], InetSocketAddress> receiver) {
    Thread t = new Thread(() -> receiveLoop(receiver), "mdns-receive-" + nif.getName());
    t.setDaemon(true);
    t.start();
  }

  private void receiveLoop(BiConsumer<byte[], InetSocketAddress> receiver) {
    // One byte over the limit tells an oversized packet (which the channel truncates) apart.
    ByteBuffer buf = ByteBuffer.allocate(DnsMessage.MAX_PACKET + 1);
    while (!closed) {
      buf.clear();
      SocketAddress from;
      try {
        from = channel.receive(buf);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (closed) {
          return;
        }
        LOG.debug("mDNS receive failed on {}: {}", nif.getName(), e.toString());
        pause(); // a persistent error must not spin this thread
        continue;
      }
      buf.flip();
      if (buf.remaining() > DnsMessage.MAX_PACKET) {
        LOG.debug("dropping an mDNS packet over {} bytes from {}", DnsMessage.MAX_PACKET, from);
        continue;
      }
      byte[] packet = new byte[buf.remaining()];
      buf.get(packet);
      try {
        receiver.accept(packet, (InetSocketAddress) from);
      } catch (RuntimeException e) {
        LOG.warn("mDNS receiver failed", e);
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void send(byte[] packet) {
    if (closed) {
      return;
    }
    try {
      channel.send(ByteBuffer.wrap(packet), group);
    } catch (IOException e) {
      LOG.debug("mDNS send on {} failed: {}", nif.getName(), e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing the mDNS channel: {}", e.toString());
    }
  }
}
