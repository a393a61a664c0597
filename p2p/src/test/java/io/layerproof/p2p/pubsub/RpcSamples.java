package io.layerproof.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.layerproof.p2p.pubsub.ControlMessage.Graft;
import io.layerproof.p2p.pubsub.ControlMessage.IDontWant;
import io.layerproof.p2p.pubsub.ControlMessage.IHave;
import io.layerproof.p2p.pubsub.ControlMessage.IWant;
import io.layerproof.p2p.pubsub.ControlMessage.PeerInfo;
import io.layerproof.p2p.pubsub.ControlMessage.Prune;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random RPCs covering every field (absent and present), for round trips and fuzzing. */
final class RpcSamples {
  private RpcSamples() {}

  static Rpc random(Random r) {
    List<Rpc.SubOpts> subs = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      subs.add(new Rpc.SubOpts(r.nextBoolean(), topic(r)));
    }
    List<PubsubMessage> msgs = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      msgs.add(
          new PubsubMessage(
              maybe(r, 38),
              maybe(r, 200),
              maybe(r, 8),
              r.nextInt(5) == 0 ? null : topic(r),
              maybe(r, 64),
              maybe(r, 36)));
    }
    ControlMessage control = ControlMessage.EMPTY;
    if (r.nextBoolean()) {
      List<IHave> ihave = new ArrayList<>();
      for (int i = r.nextInt(3); i > 0; i--) {
        ihave.add(new IHave(topic(r), ids(r)));
      }
      List<IWant> iwant = new ArrayList<>();
      for (int i = r.nextInt(3); i > 0; i--) {
        iwant.add(new IWant(ids(r)));
      }
      List<Graft> graft = new ArrayList<>();
      for (int i = r.nextInt(3); i > 0; i--) {
        graft.add(new Graft(topic(r)));
      }
      List<Prune> prune = new ArrayList<>();
      for (int i = r.nextInt(3); i > 0; i--) {
        List<PeerInfo> peers = new ArrayList<>();
        for (int j = r.nextInt(3); j > 0; j--) {
          peers.add(new PeerInfo(bytes(r, 38), maybe(r, 100)));
        }
        prune.add(new Prune(topic(r), peers, r.nextBoolean() ? 0 : 1 + r.nextInt(120)));
      }
      List<IDontWant> idw = new ArrayList<>();
      for (int i = r.nextInt(2); i > 0; i--) {
        idw.add(new IDontWant(ids(r)));
      }
      control = new ControlMessage(ihave, iwant, graft, prune, idw);
    }
    return new Rpc(subs, msgs, control);
  }

  static String topic(Random r) {
    String[] names = {"", "t", "blocks", "/layerproof/jobs/1", "élan-ü", "x".repeat(100)};
    return names[r.nextInt(names.length)];
  }

  static List<ByteString> ids(Random r) {
    List<ByteString> ids = new ArrayList<>();
    for (int i = r.nextInt(5); i > 0; i--) {
      ids.add(bytes(r, 46));
    }
    return ids;
  }

  static ByteString maybe(Random r, int max) {
    return r.nextInt(4) == 0 ? null : bytes(r, max);
  }

  static ByteString bytes(Random r, int max) {
    byte[] b = new byte[r.nextInt(max + 1)];
    r.nextBytes(b);
    return ByteString.copyFrom(b);
  }
}
