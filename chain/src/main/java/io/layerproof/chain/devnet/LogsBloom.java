package io.layerproof.chain.devnet;

import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** The 2048-bit bloom filter of the yellow paper over log addresses and topics. */
final class LogsBloom {

  static final int BYTES = 256;

  private LogsBloom() {}

  static byte[] of(List<LogEntry> logs) {
    byte[] bloom = new byte[BYTES];
    for (LogEntry l : logs) {
      add(bloom, Numeric.hexStringToByteArray(l.address()));
      for (String t : l.topics()) {
        add(bloom, Numeric.hexStringToByteArray(t));
      }
    }
    return bloom;
  }

  static void or(byte[] into, byte[] other) {
    for (int i = 0; i < BYTES; i++) {
      into[i] |= other[i];
    }
  }

  static void add(byte[] bloom, byte[] value) {
    byte[] h = Hash.sha3(value);
    for (int i = 0; i < 6; i += 2) {
      int bit = ((h[i] & 0xff) << 8 | (h[i + 1] & 0xff)) & 2047;
      bloom[BYTES - 1 - bit / 8] |= (byte) (1 << (bit % 8));
    }
  }

  static boolean mayContain(byte[] bloom, byte[] value) {
    byte[] h = Hash.sha3(value);
    for (int i = 0; i < 6; i += 2) {
      int bit = ((h[i] & 0xff) << 8 | (h[i + 1] & 0xff)) & 2047;
      if ((bloom[BYTES - 1 - bit / 8] & (1 << (bit % 8))) == 0) {
        return false;
      }
    }
    return true;
  }

  static boolean isEmpty(byte[] bloom) {
    for (byte b : bloom) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
