package io.layerproof.p2p.identity;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The libp2p key envelope {@code message PublicKey/PrivateKey { required KeyType Type = 1; required
 * bytes Data = 2; }}. Decoding is strict: the peer-ids spec requires the deterministic encoding
 * (fields in order, each once), since peer ids hash these exact bytes.
 */
final class KeyProto {

  /** KeyType values. */
  static final int RSA = 0;

  static final int ED25519 = 1;
  static final int SECP256K1 = 2;
  static final int ECDSA = 3;

  /** A decoded envelope. */
  record Decoded(int type, byte[] data) {}

  private KeyProto() {}

  static byte[] encode(int type, byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length + 8);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeEnum(1, type);
      out.writeByteArray(2, data);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IllegalArgumentException unless {@code encoded} is exactly the deterministic encoding
   */
  static Decoded decode(byte[] encoded) {
    Integer type = null;
    byte[] data = null;
    try {
      CodedInputStream in = CodedInputStream.newInstance(encoded);
      in.setSizeLimit(encoded.length);
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        if (tag == 8 && type == null && data == null) {
          type = in.readEnum();
        } else if (tag == 18 && type != null && data == null) {
          data = in.readByteArray();
        } else {
          throw new IllegalArgumentException("unexpected field (tag " + tag + ") in a key");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed key protobuf: " + e.getMessage(), e);
    }
    if (type == null || data == null) {
      throw new IllegalArgumentException("a key needs Type and Data");
    }
    if (!Arrays.equals(encode(type, data), encoded)) {
      throw new IllegalArgumentException("key protobuf not deterministically encoded");
    }
    return new Decoded(type, data);
  }
}
