package io.layerproof.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.layerproof.p2p.identity.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gossipsub {@code mcache}: recent messages in {@code historyLength} windows shifted each
 * heartbeat. IWANT is served from all windows; IHAVE advertises the newest {@code gossipWindows}.
 * Each window holds at most {@code maxPerWindow} messages.
 */
final class MessageCache {

  private record Entry(PubsubMessage message, Map<PeerId, Integer> served) {}

  private final int historyLength;
  private final int gossipWindows;
  private final int maxPerWindow;
  private final Map<ByteString, Entry> messages = new HashMap<>();
  private final ArrayDeque<List<ByteString>> windows = new ArrayDeque<>();

  MessageCache(int historyLength, int gossipWindows, int maxPerWindow) {
    if (gossipWindows > historyLength) {
      throw new IllegalArgumentException("gossip windows exceed history");
    }
    this.historyLength = historyLength;
    this.gossipWindows = gossipWindows;
    this.maxPerWindow = maxPerWindow;
    windows.addFirst(new ArrayList<>());
  }

  void put(ByteString id, PubsubMessage message) {
    List<ByteString> current = windows.peekFirst();
    if (messages.containsKey(id) || current.size() >= maxPerWindow) {
      return; // best effort: an overflowing heartbeat is simply not gossiped
    }
    messages.put(id, new Entry(message, new HashMap<>()));
    current.add(id);
  }

  PubsubMessage get(ByteString id) {
    Entry e = messages.get(id);
    return e == null ? null : e.message();
  }

  /**
   * The message for an IWANT from {@code peer}, or null if unknown or already served to that peer
   * more than {@code maxTransmissions} times (the v1.1 retransmission cap).
   */
  PubsubMessage serve(ByteString id, PeerId peer, int maxTransmissions) {
    Entry e = messages.get(id);
    if (e == null) {
      return null;
    }
    int count = e.served().merge(peer, 1, Integer::sum);
    return count > maxTransmissions ? null : e.message();
  }

  /** Ids of {@code topic} in the newest gossip windows. */
  List<ByteString> gossipIds(String topic) {
    List<ByteString> ids = new ArrayList<>();
    int i = 0;
    for (List<ByteString> window : windows) {
      if (i++ >= gossipWindows) {
        break;
      }
      for (ByteString id : window) {
        Entry e = messages.get(id);
        if (e != null && topic.equals(e.message().topic())) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  void shift() {
    if (windows.size() >= historyLength) {
      for (ByteString id : windows.removeLast()) {
        messages.remove(id);
      }
    }
    windows.addFirst(new ArrayList<>());
  }

  int size() {
    return messages.size();
  }
}
