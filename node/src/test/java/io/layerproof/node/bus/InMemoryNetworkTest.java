package io.layerproof.node.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.NodeId;
import io.layerproof.node.bus.InMemoryNetwork.LinkModel;
import io.layerproof.node.testing.TestIds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryNetworkTest {
  private static final Topic T = Topic.of("t");
  private static final NodeId A = TestIds.named("a");
  private static final NodeId B = TestIds.named("b");
  private static final NodeId C = TestIds.named("c");

  private final VirtualScheduler clock = new VirtualScheduler();
  private final List<String> log = new ArrayList<>();

  private Bus join(InMemoryNetwork net, NodeId id) {
    Bus bus = net.join(id);
    bus.subscribe(
        T,
        in ->
            log.add(
                TestIds.name(id)
                    + "<-"
                    + TestIds.name(in.from())
                    + ":"
                    + new String(in.payload(), StandardCharsets.UTF_8)
                    + "@"
                    + clock.nowMillis()));
    bus.onPeerEvent(
        e -> log.add(TestIds.name(id) + (e.up() ? " up " : " down ") + TestIds.name(e.peer())));
    return bus;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void publishReachesPeersAfterLatencyButNotSelf() {
    InMemoryNetwork net = new InMemoryNetwork(clock, 1, LinkModel.reliable(Duration.ofMillis(7)));
    Bus a = join(net, A);
    join(net, B);
    clock.runFor(Duration.ofMillis(1));
    log.clear();
    a.publish(T, b("hi"));
    clock.runFor(Duration.ofMillis(20));
    assertEquals(List.of("b<-a:hi@8"), log);
  }

  @Test
  void linksAreFifoEvenWithJitter() {
    InMemoryNetwork net =
        new InMemoryNetwork(clock, 3, new LinkModel(Duration.ZERO, Duration.ofMillis(50), 0));
    Bus a = join(net, A);
    List<String> got = new ArrayList<>();
    net.join(B).subscribe(T, in -> got.add(new String(in.payload(), StandardCharsets.UTF_8)));
    for (int i = 0; i < 50; i++) {
      a.send(B, T, b(Integer.toString(i)));
    }
    clock.runFor(Duration.ofSeconds(1));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add(Integer.toString(i));
    }
    assertEquals(expected, got);
  }

  @Test
  void partitionCutsLinksIncludingMessagesInFlightAndHealRestoresThem() {
    InMemoryNetwork net = new InMemoryNetwork(clock, 1, LinkModel.reliable(Duration.ofMillis(10)));
    Bus a = join(net, A);
    join(net, B);
    join(net, C);
    clock.runFor(Duration.ofMillis(1));
    log.clear();
    a.publish(T, b("before"));
    clock.runFor(Duration.ofMillis(5));
    net.partition(Set.of(A, B), Set.of(C));
    clock.runFor(Duration.ofMillis(20));
    assertTrue(log.contains("b<-a:before@11"), log.toString());
    assertTrue(
        log.stream().noneMatch(s -> s.startsWith("c<-")), "in-flight message crossed the cut");
    assertTrue(
        log.containsAll(List.of("a down c", "c down a", "b down c", "c down b")), log.toString());
    assertEquals(false, net.reachable(A, C));

    log.clear();
    net.heal();
    clock.runFor(Duration.ofMillis(1));
    assertTrue(log.containsAll(List.of("a up c", "c up a", "b up c", "c up b")), log.toString());
    a.send(C, T, b("after"));
    clock.runFor(Duration.ofMillis(20));
    assertTrue(log.contains("c<-a:after@37"), log.toString());
  }

  @Test
  void killedNodeLosesMessagesAndARestartIsAFreshEndpoint() {
    InMemoryNetwork net = new InMemoryNetwork(clock, 1, LinkModel.reliable(Duration.ofMillis(10)));
    Bus a = join(net, A);
    join(net, B);
    clock.runFor(Duration.ofMillis(1));
    log.clear();
    a.send(B, T, b("lost"));
    net.kill(B);
    clock.runFor(Duration.ofMillis(1));
    assertEquals(List.of("a down b"), log);
    join(net, B);
    clock.runFor(Duration.ofMillis(20));
    assertEquals(List.of("a down b", "a up b", "b up a"), log, "the old message must not arrive");
    a.send(B, T, b("new"));
    clock.runFor(Duration.ofMillis(20));
    assertEquals("b<-a:new@32", log.get(log.size() - 1));
  }

  @Test
  void theLinkModelCanBeChangedWhileRunning() {
    InMemoryNetwork net = new InMemoryNetwork(clock, 1, LinkModel.reliable(Duration.ofMillis(5)));
    Bus a = join(net, A);
    join(net, B);
    clock.runFor(Duration.ofMillis(1));
    log.clear();
    a.send(B, T, b("fast"));
    net.setModel(LinkModel.reliable(Duration.ofMillis(50)));
    a.send(B, T, b("slow"));
    clock.runFor(Duration.ofMillis(100));
    assertEquals(List.of("b<-a:fast@6", "b<-a:slow@51"), log);
  }

  @Test
  void aSeedReplaysTheSameLossesAndDelays() {
    assertEquals(trace(42), trace(42));
    assertTrue(!trace(42).equals(trace(43)), "different seeds should differ");
  }

  private List<String> trace(long seed) {
    VirtualScheduler c = new VirtualScheduler();
    InMemoryNetwork net =
        new InMemoryNetwork(
            c, seed, new LinkModel(Duration.ofMillis(1), Duration.ofMillis(30), 0.3));
    Bus a = net.join(A);
    List<String> got = new ArrayList<>();
    net.join(B)
        .subscribe(
            T,
            in -> got.add(new String(in.payload(), StandardCharsets.UTF_8) + "@" + c.nowMillis()));
    for (int i = 0; i < 40; i++) {
      a.send(B, T, b(Integer.toString(i)));
    }
    c.runFor(Duration.ofSeconds(1));
    assertTrue(net.droppedCount() > 0 && got.size() < 40, "a 30% loss rate should lose some");
    return got;
  }
}
