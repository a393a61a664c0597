package io.layerproof.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.layerproof.p2p.identity.PeerId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * IWANT promises (v1.1): after asking a peer for messages it advertised, one of them must arrive
 * (from anyone) within the follow-up time, or the peer broke its promise and is penalised (P7).
 */
final class GossipPromises {
  private final long followUpMillis;
  private final int capacity;
  private final LinkedHashMap<ByteString, Map<PeerId, Long>> promises = new LinkedHashMap<>();

  GossipPromises(long followUpMillis, int capacity) {
    this.followUpMillis = followUpMillis;
    this.capacity = capacity;
  }

  /** Tracks one random id of an IWANT, as go does: enough to catch peers that advertise falsely. */
  void add(PeerId peer, List<ByteString> ids, long now, Random random) {
    if (ids.isEmpty() || promises.size() >= capacity) {
      return;
    }
    ByteString id = ids.get(random.nextInt(ids.size()));
    promises.computeIfAbsent(id, k -> new HashMap<>()).putIfAbsent(peer, now + followUpMillis);
  }

  /** The message arrived (valid or not, it was delivered): every promise for it is kept. */
  void fulfil(ByteString id) {
    promises.remove(id);
  }

  /** Removes expired promises and counts them per peer. */
  Map<PeerId, Integer> broken(long now) {
    Map<PeerId, Integer> counts = new HashMap<>();
    Iterator<Map<PeerId, Long>> it = promises.values().iterator();
    while (it.hasNext()) {
      Map<PeerId, Long> byPeer = it.next();
      byPeer
          .entrySet()
          .removeIf(
              e -> {
                if (e.getValue() <= now) {
                  counts.merge(e.getKey(), 1, Integer::sum);
                  return true;
                }
                return false;
              });
      if (byPeer.isEmpty()) {
        it.remove();
      }
    }
    return counts;
  }

  int size() {
    return promises.size();
  }
}
