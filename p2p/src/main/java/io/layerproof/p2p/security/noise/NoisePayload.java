package io.layerproof.p2p.security.noise;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The libp2p Noise handshake payload, {@code NoiseHandshakePayload { bytes identity_key = 1; bytes
 * identity_sig = 2; NoiseExtensions extensions = 4; }} with {@code NoiseExtensions { repeated bytes
 * webtransport_certhashes = 1; repeated string stream_muxers = 2; }}. Coded by hand so every field
 * and count is bounded; unknown fields are skipped (the legacy {@code data = 3} among them), as
 * protobuf readers must.
 */
public record NoisePayload(byte[] identityKey, byte[] identitySig, List<String> streamMuxers) {

  /** Bounds well above any real payload (Ed25519: 36-byte key, 64-byte signature). */
  static final int MAX_KEY = 1024;

  static final int MAX_SIG = 1024;
  static final int MAX_LIST = 32;
  static final int MAX_ITEM = 1024;
  static final int MAX_FIELDS = 64;

  public NoisePayload {
    identityKey = identityKey.clone();
    identitySig = identitySig.clone();
    streamMuxers = List.copyOf(streamMuxers);
  }

  @Override
  public byte[] identityKey() {
    return identityKey.clone();
  }

  @Override
  public byte[] identitySig() {
    return identitySig.clone();
  }

  public byte[] encode() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeByteArray(1, identityKey);
      out.writeByteArray(2, identitySig);
      if (!streamMuxers.isEmpty()) {
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        CodedOutputStream e = CodedOutputStream.newInstance(ext);
        for (String m : streamMuxers) {
          e.writeString(2, m);
        }
        e.flush();
        out.writeByteArray(4, ext.toByteArray());
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @throws IllegalArgumentException if malformed, a field repeats, or a bound is exceeded
   */
  public static NoisePayload decode(byte[] data) {
    byte[] key = null;
    byte[] sig = null;
    List<String> muxers = List.of();
    boolean sawExtensions = false;
    try {
      CodedInputStream in = CodedInputStream.newInstance(data);
      in.setSizeLimit(data.length);
      for (int fields = 0; !in.isAtEnd(); fields++) {
        if (fields >= MAX_FIELDS) {
          throw new IllegalArgumentException("too many fields");
        }
        int tag = in.readTag();
        switch (tag) {
          case 10 -> {
            if (key != null) {
              throw new IllegalArgumentException("identity_key repeats");
            }
            key = readBytes(in, MAX_KEY, "identity_key");
          }
          case 18 -> {
            if (sig != null) {
              throw new IllegalArgumentException("identity_sig repeats");
            }
            sig = readBytes(in, MAX_SIG, "identity_sig");
          }
          case 34 -> {
            if (sawExtensions) {
              throw new IllegalArgumentException("extensions repeat");
            }
            sawExtensions = true;
            muxers = decodeExtensions(readBytes(in, data.length, "extensions"));
          }
          default -> skip(in, tag);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed Noise payload: " + e.getMessage(), e);
    }
    if (key == null || sig == null) {
      throw new IllegalArgumentException("Noise payload lacks identity_key or identity_sig");
    }
    return new NoisePayload(key, sig, muxers);
  }

  private static List<String> decodeExtensions(byte[] data) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(data);
    in.setSizeLimit(data.length);
    List<String> muxers = new ArrayList<>();
    int items = 0;
    while (!in.isAtEnd()) {
      if (++items > 2 * MAX_LIST) {
        throw new IllegalArgumentException("too many extension entries");
      }
      int tag = in.readTag();
      if (tag == 18) {
        if (muxers.size() >= MAX_LIST) {
          throw new IllegalArgumentException("too many stream muxers");
        }
        muxers.add(new String(readBytes(in, MAX_ITEM, "stream_muxers"), StandardCharsets.UTF_8));
      } else if (tag == 10) {
        readBytes(in, MAX_ITEM, "webtransport_certhashes"); // not used over TCP
      } else {
        skip(in, tag);
      }
    }
    return muxers;
  }

  private static byte[] readBytes(CodedInputStream in, int max, String field) throws IOException {
    int length = in.readRawVarint32();
    if (length < 0 || length > max) {
      throw new IllegalArgumentException(field + " longer than " + max + " bytes");
    }
    return in.readRawBytes(length);
  }

  private static void skip(CodedInputStream in, int tag) throws IOException {
    int type = WireFormat.getTagWireType(tag);
    if (tag == 0
        || type == WireFormat.WIRETYPE_START_GROUP
        || type == WireFormat.WIRETYPE_END_GROUP) {
      throw new IllegalArgumentException("unsupported field (tag " + tag + ")");
    }
    in.skipField(tag);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoisePayload p
        && Arrays.equals(identityKey, p.identityKey)
        && Arrays.equals(identitySig, p.identitySig)
        && streamMuxers.equals(p.streamMuxers);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(identityKey) * 31 + Arrays.hashCode(identitySig);
  }

  @Override
  public String toString() {
    return "NoisePayload[key " + identityKey.length + " bytes, muxers " + streamMuxers + "]";
  }
}
