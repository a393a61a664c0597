package io.layerproof.p2p.protocol;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The identify protocol's message ({@code /ipfs/id/1.0.0}): protocolVersion = 5, agentVersion = 6,
 * publicKey = 1, listenAddrs = 2 (binary multiaddrs), observedAddr = 4, protocols = 3,
 * signedPeerRecord = 8 (read and skipped: not produced here). Decoding caps every list.
 */
public record IdentifyMessage(
    String protocolVersion,
    String agentVersion,
    byte[] publicKey,
    List<byte[]> listenAddrs,
    byte[] observedAddr,
    List<String> protocols) {

  /** js-libp2p refuses identify messages above 8 KiB; so do we. */
  public static final int MAX_SIZE = 8 * 1024;

  static final int MAX_ENTRIES = 128;

  public IdentifyMessage {
    listenAddrs = List.copyOf(listenAddrs);
    protocols = List.copyOf(protocols);
  }

  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      if (publicKey != null) {
        out.writeByteArray(1, publicKey);
      }
      for (byte[] a : listenAddrs) {
        out.writeByteArray(2, a);
      }
      for (String p : protocols) {
        out.writeString(3, p);
      }
      if (observedAddr != null) {
        out.writeByteArray(4, observedAddr);
      }
      if (protocolVersion != null) {
        out.writeString(5, protocolVersion);
      }
      if (agentVersion != null) {
        out.writeString(6, agentVersion);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IllegalArgumentException if malformed or over the limits
   */
  public static IdentifyMessage decode(byte[] data) {
    if (data.length > MAX_SIZE) {
      throw new IllegalArgumentException("identify message over " + MAX_SIZE + " bytes");
    }
    String protocolVersion = null;
    String agentVersion = null;
    byte[] publicKey = null;
    byte[] observed = null;
    List<byte[]> addrs = new ArrayList<>();
    List<String> protocols = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(data);
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        switch (tag) {
          case 10 -> publicKey = in.readByteArray();
          case 18 -> addrs.add(in.readByteArray());
          case 26 -> protocols.add(in.readStringRequireUtf8());
          case 34 -> observed = in.readByteArray();
          case 42 -> protocolVersion = in.readStringRequireUtf8();
          case 50 -> agentVersion = in.readStringRequireUtf8();
          default -> {
            if (!in.skipField(tag)) {
              throw new IllegalArgumentException("end-group tag in identify");
            }
          }
        }
        if (addrs.size() > MAX_ENTRIES || protocols.size() > MAX_ENTRIES) {
          throw new IllegalArgumentException("identify lists over " + MAX_ENTRIES + " entries");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed identify message: " + e.getMessage(), e);
    }
    return new IdentifyMessage(
        protocolVersion, agentVersion, publicKey, addrs, observed, protocols);
  }
}
