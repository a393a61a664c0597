package io.layerproof.chain.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.security.SecureRandom;

/**
 * The producer-chosen unique id of one event: 16 random bytes. A producer retries with the same id
 * until it sees the event indexed, and the log stores an id at most once.
 */
public final class EventId extends ByteValue {

  private static final SecureRandom RANDOM = new SecureRandom();

  private EventId(byte[] bytes) {
    super(bytes, 16, "event id");
  }

  public static EventId of(byte[] bytes) {
    return new EventId(bytes);
  }

  @JsonCreator
  public static EventId fromHex(String hex) {
    return new EventId(parseHex(hex, 16, "event id"));
  }

  public static EventId random() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return new EventId(b);
  }
}
