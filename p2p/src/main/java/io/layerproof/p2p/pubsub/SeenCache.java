package io.layerproof.p2p.pubsub;

import com.google.protobuf.ByteString;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Message ids seen recently, so duplicates are neither delivered nor forwarded. Entries expire
 * after a fixed TTL (insertion order is expiry order) and the oldest go first past the capacity.
 */
final class SeenCache {
  private final long ttlMillis;
  private final int capacity;
  private final LinkedHashMap<ByteString, Long> expiry = new LinkedHashMap<>();

  SeenCache(long ttlMillis, int capacity) {
    this.ttlMillis = ttlMillis;
    this.capacity = capacity;
  }

  /** Marks {@code id} seen; false when it already was. */
  boolean add(ByteString id, long now) {
    evictExpired(now);
    if (expiry.containsKey(id)) {
      return false;
    }
    if (expiry.size() >= capacity) {
      Iterator<ByteString> it = expiry.keySet().iterator();
      it.next();
      it.remove();
    }
    expiry.put(id, now + ttlMillis);
    return true;
  }

  boolean contains(ByteString id, long now) {
    Long until = expiry.get(id);
    return until != null && until > now;
  }

  void evictExpired(long now) {
    Iterator<Map.Entry<ByteString, Long>> it = expiry.entrySet().iterator();
    while (it.hasNext() && it.next().getValue() <= now) {
      it.remove();
    }
  }

  int size() {
    return expiry.size();
  }
}
