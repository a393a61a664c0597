package io.layerproof.p2p.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Against the real js-libp2p muxer ({@code @chainsafe/libp2p-yamux} 7.0.4) over loopback TCP. Runs
 * when the peer's packages are installed: {@code npm ci --prefix p2p/src/test/js/yamux-interop};
 * skipped otherwise.
 */
class YamuxJsInteropTest {
  private static final Logger log = LoggerFactory.getLogger(YamuxJsInteropTest.class);
  private static final Path PEER = Path.of("src/test/js/yamux-interop");

  @Test
  void echoesPingsAndClosesWithJsYamux() throws Exception {
    assumeTrue(
        Files.isDirectory(PEER.resolve("node_modules/@chainsafe/libp2p-yamux")),
        "js peer not installed");
    ProcessBuilder pb =
        new ProcessBuilder("node", "peer.mjs").directory(PEER.toFile()).redirectErrorStream(true);
    if (System.getenv("YAMUX_JS_DEBUG") != null) {
      pb.environment().put("DEBUG", "libp2p:yamux*");
    }
    Process node = pb.start();
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(1000);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  lines.offer(line);
                }
              } catch (Exception e) {
                lines.offer("READ_FAILED " + e);
              }
            });
    reader.setDaemon(true);
    reader.start();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      int port = Integer.parseInt(awaitLine(lines, "PORT ").substring(5));
      CompletableFuture<YamuxMuxer> muxerFuture = new CompletableFuture<>();
      Channel ch =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                      YamuxConfig config = YamuxConfig.defaults().withKeepAliveInterval(null);
                      muxerFuture.complete(YamuxMuxer.install(c, true, config));
                    }
                  })
              .connect("127.0.0.1", port)
              .sync()
              .channel();
      YamuxMuxer muxer = muxerFuture.get(10, TimeUnit.SECONDS);
      // The js side opens a stream too, sends 1 MiB and expects it back.
      muxer.onInboundStream(StreamKit::echo);

      byte[] payload = new byte[2 * 1024 * 1024]; // eight js windows: needs its window updates
      new Random(3).nextBytes(payload);
      MuxStream stream = muxer.openStream().get(10, TimeUnit.SECONDS);
      StreamKit.Collector echo = new StreamKit.Collector();
      stream.setHandler(echo);
      stream.write(Unpooled.wrappedBuffer(payload));
      stream.closeWrite();
      assertArrayEquals(payload, echo.closed.get(30, TimeUnit.SECONDS));

      Duration rtt = muxer.ping().get(10, TimeUnit.SECONDS);
      String jsResult = awaitLine(lines, "JS_");
      log.info("js yamux interop: java ping {} us; js says {}", rtt.toNanos() / 1000, jsResult);
      assertTrue(jsResult.startsWith("JS_OK"), jsResult);

      muxer.close();
      ch.closeFuture().get(10, TimeUnit.SECONDS);
      assertTrue(awaitLine(lines, "JS_CLOSED").startsWith("JS_CLOSED"));
    } finally {
      // Whatever the peer said last helps when this fails.
      for (String line; (line = lines.poll(300, TimeUnit.MILLISECONDS)) != null; ) {
        log.info("js: {}", line);
      }
      node.destroy();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private static String awaitLine(BlockingQueue<String> lines, String prefix) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        log.info("js: {}", line);
        if (line.startsWith(prefix) || line.startsWith("JS_FAIL")) {
          return line;
        }
      }
    }
    throw new AssertionError("no line starting with " + prefix + " from the js peer");
  }
}
