package io.layerproof.p2p.security.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.multiaddr.Multiaddr;
import io.layerproof.p2p.multistream.MultistreamNegotiator;
import io.layerproof.p2p.transport.MuxerFactory;
import io.layerproof.p2p.transport.TcpTransport;
import io.layerproof.p2p.transport.TransportConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A dialer on a plain socket that pipelines the way js-libp2p does (and more): the multistream
 * header, {@code /noise} and the first Noise message in one write; then the last Noise message and
 * an encrypted frame holding the muxer negotiation and application bytes in another. The listener
 * must neither lose nor misroute any of it.
 */
class PipelinedDialerTest {

  @Test
  void aListenerKeepsEveryPipelinedByte() throws Exception {
    PeerKey serverKey = PeerKey.generate();
    PeerKey dialerKey = PeerKey.generate();
    MuxerFactory echo =
        conn ->
            conn.channel()
                .pipeline()
                .addLast(
                    new ChannelInboundHandlerAdapter() {
                      @Override
                      public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ctx.writeAndFlush(msg);
                      }
                    });
    try (TcpTransport server = new TcpTransport(serverKey, TransportConfig.defaults(), echo)) {
      Multiaddr addr =
          server.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0")).get(5, TimeUnit.SECONDS);
      InetSocketAddress target = addr.toSocketAddress();
      try (Socket s = new Socket(target.getAddress(), target.getPort())) {
        s.setSoTimeout(5000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        NoiseHandshake hs = new NoiseHandshake(true, dialerKey, Optional.of(serverKey.peerId()));

        out.write(
            concat(
                msg(MultistreamNegotiator.PROTOCOL_ID),
                msg(NoiseHandshake.PROTOCOL_ID),
                frame(hs.start().orElseThrow())));
        out.flush();
        assertArrayEquals(msg(MultistreamNegotiator.PROTOCOL_ID), in.readNBytes(20));
        assertArrayEquals(msg(NoiseHandshake.PROTOCOL_ID), in.readNBytes(8));
        byte[] msg2 = in.readNBytes(in.readUnsignedShort());
        byte[] msg3 = hs.receive(msg2).orElseThrow();
        assertEquals(serverKey.peerId(), hs.session().remotePeerId());

        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] inner =
            concat(msg(MultistreamNegotiator.PROTOCOL_ID), msg(MuxerFactory.YAMUX), hello);
        byte[] sealed = Arrays.copyOf(inner, inner.length + NoiseCipher.TAG);
        int n = hs.ciphers().sender().encrypt(null, sealed, 0, inner.length);
        out.write(concat(frame(msg3), frame(Arrays.copyOf(sealed, n))));
        out.flush();

        // Expect the header, the yamux echo and the echoed application bytes, in any framing.
        byte[] expected = inner;
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        while (plain.size() < expected.length) {
          byte[] c = in.readNBytes(in.readUnsignedShort());
          int m = hs.ciphers().receiver().decrypt(null, c, 0, c.length);
          plain.write(c, 0, m);
        }
        assertArrayEquals(expected, plain.toByteArray());
      }
    }
  }

  private static byte[] msg(String m) {
    return MultistreamNegotiator.encodeMessage(m);
  }

  private static byte[] frame(byte[] m) {
    byte[] f = new byte[m.length + 2];
    f[0] = (byte) (m.length >>> 8);
    f[1] = (byte) m.length;
    System.arraycopy(m, 0, f, 2, m.length);
    return f;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
