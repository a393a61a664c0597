package io.layerproof.node.testing;

import io.layerproof.chain.event.NodeId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Readable node ids for tests that need no keys: the ASCII name, zero-padded to 32 bytes, so ids
 * sort as their names do ("a" < "aa" < "b") and tie-breaks in tests read naturally.
 */
public final class TestIds {
  private TestIds() {}

  public static NodeId named(String name) {
    byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
    if (raw.length > 32) {
      throw new IllegalArgumentException("test id names are at most 32 characters");
    }
    return NodeId.of(Arrays.copyOf(raw, 32));
  }

  /** The name {@link #named} was given. */
  public static String name(NodeId id) {
    byte[] raw = id.toByteArray();
    int end = 0;
    while (end < raw.length && raw[end] != 0) {
      end++;
    }
    return new String(raw, 0, end, StandardCharsets.US_ASCII);
  }
}
