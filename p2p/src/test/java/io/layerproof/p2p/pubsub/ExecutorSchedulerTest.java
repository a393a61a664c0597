package io.layerproof.p2p.pubsub;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.p2p.identity.PeerKey;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The router on a real single-threaded executor: heartbeats fire from the scheduler. */
class ExecutorSchedulerTest {

  @Test
  void heartbeatsRunOnTheCallersExecutor() throws Exception {
    ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    try {
      CountDownLatch grafted = new CountDownLatch(1);
      PeerKey peer = PeerKey.ofSeed(new byte[32]);
      GossipRouter router =
          new GossipRouter(
              PeerKey.generate(),
              GossipConfig.forTests(),
              new ExecutorScheduler(loop),
              (to, rpc) -> {
                if (!rpc.control().graft().isEmpty()) {
                  grafted.countDown();
                }
              });
      loop.submit(
              () -> {
                router.subscribe("t", (t, m) -> {});
                router.addPeer(peer.peerId(), true);
                // The peer subscribes after our join: only a heartbeat can graft it.
                router.onRpc(
                    peer.peerId(), Rpc.ofSubscriptions(List.of(new Rpc.SubOpts(true, "t"))));
                router.start();
              })
          .get();
      assertTrue(grafted.await(5, TimeUnit.SECONDS));
      loop.submit(router::stop).get();
    } finally {
      loop.shutdownNow();
    }
  }
}
