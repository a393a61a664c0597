package io.layerproof.p2p.discovery;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * An in-memory multicast group: every packet sent goes to every member, the sender included (as
 * with IP_MULTICAST_LOOP), synchronously on the sender's thread.
 */
final class PacketBus {

  final List<byte[]> sent = new CopyOnWriteArrayList<>();
  private final List<Member> members = new CopyOnWriteArrayList<>();
  private int nextPort = 40000;

  synchronized Member join() {
    Member m = new Member(new InetSocketAddress("192.0.2.1", nextPort++));
    members.add(m);
    return m;
  }

  /** Delivers {@code packet} as if {@code from} had multicast it. */
  void inject(byte[] packet, InetSocketAddress from) {
    for (Member m : members) {
      BiConsumer<byte[], InetSocketAddress> r = m.receiver;
      if (r != null) {
        r.accept(packet.clone(), from);
      }
    }
  }

  final class Member implements MdnsTransport {
    private final InetSocketAddress address;
    private volatile BiConsumer<byte[], InetSocketAddress> receiver;

    Member(InetSocketAddress address) {
      this.address = address;
    }

    @Override
    public void start(BiConsumer<byte[], InetSocketAddress> receiver) {
      this.receiver = receiver;
    }

    @Override
    public void send(byte[] packet) {
      sent.add(packet.clone());
      inject(packet, address);
    }

    @Override
    public void close() {
      receiver = null;
      members.remove(this);
    }
  }
}
