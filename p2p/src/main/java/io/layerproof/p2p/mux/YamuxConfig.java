package io.layerproof.p2p.mux;

import java.time.Duration;

/**
 * Limits and tuning of one yamux connection.
 *
 * @param initialReceiveWindow window granted to each new stream (at least the spec's 256 KiB; any
 *     excess is granted with the SYN/ACK window update)
 * @param maxReceiveWindow the window grows up to this as the application consumes data
 * @param maxStreams open streams per connection; inbound streams beyond it are reset
 * @param maxBufferedBytesPerStream unread bytes kept for a stream with no handler yet; beyond it
 *     the stream is reset
 * @param maxBufferedBytesPerConnection unread bytes kept across all streams, and the cap on the sum
 *     of receive windows that window growth may reach
 * @param maxQueuedWriteBytesPerStream bytes a stream may hold waiting for window; a write that
 *     would exceed it fails (one write of any size is accepted on an empty queue)
 * @param maxDataFrameSize largest Data frame this side sends
 * @param keepAliveInterval ping period; the connection closes when a ping is unanswered for a whole
 *     period; null or zero disables keep-alive
 * @param maxOutstandingPings pings awaiting an answer; more fail at once
 */
public record YamuxConfig(
    int initialReceiveWindow,
    int maxReceiveWindow,
    int maxStreams,
    int maxBufferedBytesPerStream,
    long maxBufferedBytesPerConnection,
    int maxQueuedWriteBytesPerStream,
    int maxDataFrameSize,
    Duration keepAliveInterval,
    int maxOutstandingPings) {

  /** The window both sides assume for a new stream (yamux spec). */
  public static final int SPEC_INITIAL_WINDOW = 256 * 1024;

  public YamuxConfig {
    if (initialReceiveWindow < SPEC_INITIAL_WINDOW) {
      throw new IllegalArgumentException("initialReceiveWindow below 256 KiB");
    }
    if (maxReceiveWindow < initialReceiveWindow) {
      throw new IllegalArgumentException("maxReceiveWindow below initialReceiveWindow");
    }
    requirePositive(maxStreams, "maxStreams");
    requirePositive(maxBufferedBytesPerStream, "maxBufferedBytesPerStream");
    requirePositive(maxBufferedBytesPerConnection, "maxBufferedBytesPerConnection");
    requirePositive(maxQueuedWriteBytesPerStream, "maxQueuedWriteBytesPerStream");
    requirePositive(maxDataFrameSize, "maxDataFrameSize");
    requirePositive(maxOutstandingPings, "maxOutstandingPings");
    if (keepAliveInterval != null && keepAliveInterval.isNegative()) {
      throw new IllegalArgumentException("negative keepAliveInterval");
    }
  }

  /** The spec's 256 KiB windows, 1024 streams, 64 KiB frames and a 30 s keep-alive. */
  public static YamuxConfig defaults() {
    return new YamuxConfig(
        SPEC_INITIAL_WINDOW,
        SPEC_INITIAL_WINDOW,
        1024,
        SPEC_INITIAL_WINDOW,
        64L * 1024 * 1024,
        16 * 1024 * 1024,
        64 * 1024,
        Duration.ofSeconds(30),
        16);
  }

  public YamuxConfig withMaxReceiveWindow(int bytes) {
    return new YamuxConfig(
        initialReceiveWindow,
        bytes,
        maxStreams,
        maxBufferedBytesPerStream,
        maxBufferedBytesPerConnection,
        maxQueuedWriteBytesPerStream,
        maxDataFrameSize,
        keepAliveInterval,
        maxOutstandingPings);
  }

  public YamuxConfig withMaxStreams(int streams) {
    return new YamuxConfig(
        initialReceiveWindow,
        maxReceiveWindow,
        streams,
        maxBufferedBytesPerStream,
        maxBufferedBytesPerConnection,
        maxQueuedWriteBytesPerStream,
        maxDataFrameSize,
        keepAliveInterval,
        maxOutstandingPings);
  }

  public YamuxConfig withBufferLimits(int perStream, long perConnection) {
    return new YamuxConfig(
        initialReceiveWindow,
        maxReceiveWindow,
        maxStreams,
        perStream,
        perConnection,
        maxQueuedWriteBytesPerStream,
        maxDataFrameSize,
        keepAliveInterval,
        maxOutstandingPings);
  }

  public YamuxConfig withKeepAliveInterval(Duration interval) {
    return new YamuxConfig(
        initialReceiveWindow,
        maxReceiveWindow,
        maxStreams,
        maxBufferedBytesPerStream,
        maxBufferedBytesPerConnection,
        maxQueuedWriteBytesPerStream,
        maxDataFrameSize,
        interval,
        maxOutstandingPings);
  }

  boolean keepAliveEnabled() {
    return keepAliveInterval != null && !keepAliveInterval.isZero();
  }

  private static void requirePositive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
