package io.layerproof.chain.ledger;

import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.event.TokenStreamed;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * The process {@link CrashTest} kills: two producers append signed events through the group commit
 * appender as fast as they can, and every acknowledged event is printed as {@code ACK <index>
 * <envelopeHash>} only after its future completed, i.e. after its write was synced.
 */
public final class CrashChild {

  private static final int WINDOW = 512;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    PrintStream out =
        new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
    ConcurrentLinkedQueue<String> acks = new ConcurrentLinkedQueue<>();
    EventLog log = EventLog.open(dir, new BatchPolicy(256, Duration.ofMillis(50)));
    GroupCommitAppender appender = new GroupCommitAppender(log, 2048, Duration.ofMillis(5));
    EnvelopeVerifier verifier = new EnvelopeVerifier(TestEvents.DOMAIN);
    out.println("READY " + log.head());
    out.flush();
    for (int p = 0; p < 2; p++) {
      var key = TestEvents.nodeKey("crash-producer-" + p);
      EventSigner signer = new EventSigner(key, TestEvents.DOMAIN, log.nextSeq(key.id()));
      Semaphore window = new Semaphore(WINDOW);
      Thread producer =
          new Thread(
              () -> {
                for (int t = 0; ; t++) {
                  window.acquireUninterruptibly();
                  var e =
                      verifier.verify(signer.sign(new TokenStreamed(TestEvents.h("crash"), t, t)));
                  appender
                      .submit(e)
                      .whenComplete(
                          (indexed, failure) -> {
                            window.release();
                            if (failure == null) {
                              acks.add("ACK " + indexed.index() + " " + indexed.envelopeHash());
                            } else {
                              acks.add("FAIL " + failure);
                            }
                          });
                }
              },
              "producer-" + p);
      producer.setDaemon(true);
      producer.start();
    }
    while (true) {
      for (String line; (line = acks.poll()) != null; ) {
        out.println(line);
      }
      out.flush();
      Thread.sleep(1);
    }
  }
}
