package io.layerproof.node.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.node.bus.MalformedMessageException;
import io.layerproof.node.testing.TestIds;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ElectionCodecTest {
  private final ElectionMessage m = new ElectionMessage(12, -1, 345, TestIds.named("node-7"), 9);

  @Test
  void roundTrips() throws Exception {
    assertEquals(m, ElectionCodec.decode(ElectionCodec.encode(m)));
  }

  @Test
  void rejectsTruncatedTrailingAndForeignBytesWithAReason() {
    byte[] ok = ElectionCodec.encode(m);
    assertReason(Arrays.copyOf(ok, ok.length - 1), "truncated");
    assertReason(Arrays.copyOf(ok, ok.length + 1), "trailing");
    byte[] tag = ok.clone();
    tag[0] = 'X';
    assertReason(tag, "not an election message");
    byte[] version = ok.clone();
    version[1] = 9;
    assertReason(version, "version 9");
    assertReason(new byte[0], "truncated");
  }

  @Test
  void rejectsOutOfRangeFields() {
    byte[] ok = ElectionCodec.encode(m);
    byte[] negativeClock = ok.clone();
    negativeClock[2] = (byte) 0x80;
    assertReason(negativeClock, "clock out of range");
    byte[] sessionAhead =
        ElectionCodec.encode(new ElectionMessage(12, 0, 0, TestIds.named("n"), 12));
    sessionAhead[2 + 8 * 3 + 7] = 13; // sessionClock = 13 > clock 12
    assertReason(sessionAhead, "sessionClock out of range");
    byte[] ok2 = ElectionCodec.encode(new ElectionMessage(1, 0, 0, TestIds.named("ab"), 1));
    assertReason(java.util.Arrays.copyOf(ok2, ok2.length - 1), "truncated");
  }

  private static void assertReason(byte[] bytes, String expected) {
    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, () -> ElectionCodec.decode(bytes));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
