package io.layerproof.p2p.pubsub;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a pubsub stream into RPCs: each is an unsigned varint length then the body. Accepts input
 * in arbitrary chunks; a declared length over the limit is refused as soon as its varint is read,
 * before any body byte is buffered, so memory stays under one RPC plus a chunk. Not thread-safe
 * (one per stream, on the stream's event loop).
 */
public final class RpcFrameDecoder {

  /** A length over 2^31 needs more than 5 varint bytes; any limit we accept is below that. */
  private static final int MAX_PREFIX = 5;

  private final RpcCodec codec;
  private final int maxRpcSize;
  private long length;
  private int prefixBytes;
  private byte[] body;
  private int filled;
  private boolean failed;

  public RpcFrameDecoder(RpcCodec codec) {
    this.codec = codec;
    this.maxRpcSize = codec.limits().maxRpcSize();
  }

  /**
   * Feeds the next bytes of the stream and returns the RPCs they complete (possibly none).
   *
   * @throws MalformedRpcException on an oversized or malformed frame; the decoder is then dead (the
   *     stream must be reset)
   */
  public List<Rpc> feed(byte[] chunk, int offset, int count) {
    if (failed) {
      throw new MalformedRpcException("stream already failed");
    }
    List<Rpc> out = new ArrayList<>();
    try {
      int pos = offset;
      int end = offset + count;
      while (pos < end) {
        if (body == null) {
          int b = chunk[pos++] & 0xff;
          length |= (long) (b & 0x7f) << (7 * prefixBytes);
          prefixBytes++;
          if (length > maxRpcSize) {
            throw new MalformedRpcException("RPC length " + length + " exceeds " + maxRpcSize);
          }
          if ((b & 0x80) != 0) {
            if (prefixBytes >= MAX_PREFIX) {
              throw new MalformedRpcException("length prefix too long");
            }
            continue;
          }
          if (b == 0 && prefixBytes > 1) {
            throw new MalformedRpcException("length prefix not minimal");
          }
          body = new byte[(int) length];
          filled = 0;
        }
        int take = Math.min(body.length - filled, end - pos);
        System.arraycopy(chunk, pos, body, filled, take);
        filled += take;
        pos += take;
        if (filled == body.length) {
          out.add(codec.decode(body));
          body = null;
          length = 0;
          prefixBytes = 0;
        }
      }
      return out;
    } catch (MalformedRpcException e) {
      failed = true;
      body = null;
      throw e;
    }
  }

  public List<Rpc> feed(byte[] chunk) {
    return feed(chunk, 0, chunk.length);
  }

  /** Bytes of a partial RPC held right now (for tests and metrics). */
  public int buffered() {
    return body == null ? 0 : filled;
  }
}
