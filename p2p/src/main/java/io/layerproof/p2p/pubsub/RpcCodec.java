package io.layerproof.p2p.pubsub;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.layerproof.p2p.pubsub.ControlMessage.Graft;
import io.layerproof.p2p.pubsub.ControlMessage.IDontWant;
import io.layerproof.p2p.pubsub.ControlMessage.IHave;
import io.layerproof.p2p.pubsub.ControlMessage.IWant;
import io.layerproof.p2p.pubsub.ControlMessage.PeerInfo;
import io.layerproof.p2p.pubsub.ControlMessage.Prune;
import io.layerproof.p2p.pubsub.Rpc.SubOpts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The pubsub {@code RPC} protobuf, written by hand against the field numbers of the libp2p specs
 * (pubsub/README.md, gossipsub-v1.0/v1.1, IDONTWANT from v1.2):
 *
 * <pre>
 * RPC            { repeated SubOpts subscriptions = 1; repeated Message publish = 2;
 *                  optional ControlMessage control = 3; }
 * SubOpts        { optional bool subscribe = 1; optional string topicid = 2; }
 * Message        { optional bytes from = 1; optional bytes data = 2; optional bytes seqno = 3;
 *                  optional string topic = 4; optional bytes signature = 5; optional bytes key = 6; }
 * ControlMessage { repeated ControlIHave ihave = 1; repeated ControlIWant iwant = 2;
 *                  repeated ControlGraft graft = 3; repeated ControlPrune prune = 4;
 *                  repeated ControlIDontWant idontwant = 5; }
 * ControlIHave   { optional string topicID = 1; repeated bytes messageIDs = 2; }
 * ControlIWant   { repeated bytes messageIDs = 1; }
 * ControlGraft   { optional string topicID = 1; }
 * ControlPrune   { optional string topicID = 1; repeated PeerInfo peers = 2; optional uint64 backoff = 3; }
 * PeerInfo       { optional bytes peerID = 1; optional bytes signedPeerRecord = 2; }
 * ControlIDontWant { repeated bytes messageIDs = 1; }
 * </pre>
 *
 * Fields are written in ascending order, as go and js do. Decoding is strict: wrong wire types,
 * repeated singular fields, invalid UTF-8, groups and anything over {@link RpcLimits} are refused
 * with {@link MalformedRpcException}; unknown fields are skipped up to a count.
 */
public final class RpcCodec {

  private final RpcLimits limits;

  public RpcCodec(RpcLimits limits) {
    this.limits = limits;
  }

  public RpcCodec() {
    this(RpcLimits.DEFAULT);
  }

  public RpcLimits limits() {
    return limits;
  }

  // ---------------------------------------------------------------- encoding

  public byte[] encode(Rpc rpc) {
    return build(
        out -> {
          for (SubOpts s : rpc.subscriptions()) {
            out.writeByteArray(1, encodeSubOpts(s));
          }
          for (PubsubMessage m : rpc.messages()) {
            out.writeByteArray(2, encodeMessage(m));
          }
          if (!rpc.control().isEmpty()) {
            out.writeByteArray(3, encodeControl(rpc.control()));
          }
        });
  }

  /** The RPC behind its unsigned-varint length, as it goes on a pubsub stream. */
  public byte[] encodeFramed(Rpc rpc) {
    byte[] body = encode(rpc);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
    io.layerproof.p2p.identity.Varint.write(out, body.length);
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** The {@code Message} protobuf: what is carried, and (without signature/key) what is signed. */
  public static byte[] encodeMessage(PubsubMessage m) {
    return build(
        out -> {
          writeBytes(out, 1, m.from());
          writeBytes(out, 2, m.data());
          writeBytes(out, 3, m.seqno());
          if (m.topic() != null) {
            out.writeString(4, m.topic());
          }
          writeBytes(out, 5, m.signature());
          writeBytes(out, 6, m.key());
        });
  }

  private static byte[] encodeSubOpts(SubOpts s) {
    return build(
        out -> {
          out.writeBool(1, s.subscribe());
          if (s.topic() != null) {
            out.writeString(2, s.topic());
          }
        });
  }

  private static byte[] encodeControl(ControlMessage c) {
    return build(
        out -> {
          for (IHave h : c.ihave()) {
            out.writeByteArray(
                1,
                build(
                    o -> {
                      writeString(o, 1, h.topic());
                      for (ByteString id : h.messageIds()) {
                        o.writeBytes(2, id);
                      }
                    }));
          }
          for (IWant w : c.iwant()) {
            out.writeByteArray(2, encodeIds(w.messageIds()));
          }
          for (Graft g : c.graft()) {
            out.writeByteArray(3, build(o -> writeString(o, 1, g.topic())));
          }
          for (Prune p : c.prune()) {
            out.writeByteArray(
                4,
                build(
                    o -> {
                      writeString(o, 1, p.topic());
                      for (PeerInfo pi : p.peers()) {
                        o.writeByteArray(
                            2,
                            build(
                                x -> {
                                  writeBytes(x, 1, pi.peerId());
                                  writeBytes(x, 2, pi.signedPeerRecord());
                                }));
                      }
                      if (p.backoffSeconds() > 0) {
                        o.writeUInt64(3, p.backoffSeconds());
                      }
                    }));
          }
          for (IDontWant d : c.idontwant()) {
            out.writeByteArray(5, encodeIds(d.messageIds()));
          }
        });
  }

  private static byte[] encodeIds(List<ByteString> ids) {
    return build(
        o -> {
          for (ByteString id : ids) {
            o.writeBytes(1, id);
          }
        });
  }

  private static void writeBytes(CodedOutputStream out, int field, ByteString value)
      throws IOException {
    if (value != null) {
      out.writeBytes(field, value);
    }
  }

  private static void writeString(CodedOutputStream out, int field, String value)
      throws IOException {
    if (value != null) {
      out.writeString(field, value);
    }
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] build(Writer writer) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      writer.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory protobuf write failed", e);
    }
  }

  // ---------------------------------------------------------------- decoding

  /**
   * Decodes one RPC body (no length prefix).
   *
   * @throws MalformedRpcException if it is not a valid RPC within the limits
   */
  public Rpc decode(byte[] data) {
    return decode(data, 0, data.length);
  }

  public Rpc decode(byte[] data, int offset, int length) {
    if (length > limits.maxRpcSize()) {
      throw new MalformedRpcException("RPC of " + length + " bytes exceeds " + limits.maxRpcSize());
    }
    try {
      CodedInputStream in = CodedInputStream.newInstance(data, offset, length);
      in.pushLimit(length);
      return new Reader(in, limits).rpc();
    } catch (IOException | IllegalArgumentException e) {
      throw new MalformedRpcException("malformed RPC: " + e.getMessage(), e);
    }
  }

  /** One decode pass: the budgets of {@link RpcLimits} are counted across the whole RPC. */
  private static final class Reader {
    private final CodedInputStream in;
    private final RpcLimits limits;
    private int controlEntries;
    private int messageIds;
    private int peerInfos;
    private int unknown;

    Reader(CodedInputStream in, RpcLimits limits) {
      this.in = in;
      this.limits = limits;
    }

    Rpc rpc() throws IOException {
      List<SubOpts> subs = new ArrayList<>();
      List<PubsubMessage> msgs = new ArrayList<>();
      ControlMessage control = null;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expectDelimited(tag);
            if (subs.size() >= limits.maxSubscriptions()) {
              throw new MalformedRpcException(
                  "more than " + limits.maxSubscriptions() + " subscriptions");
            }
            int old = enter();
            subs.add(subOpts());
            in.popLimit(old);
          }
          case 2 -> {
            expectDelimited(tag);
            if (msgs.size() >= limits.maxMessages()) {
              throw new MalformedRpcException("more than " + limits.maxMessages() + " messages");
            }
            int old = enter();
            msgs.add(message());
            in.popLimit(old);
          }
          case 3 -> {
            expectDelimited(tag);
            once(control);
            int old = enter();
            control = control();
            in.popLimit(old);
          }
          default -> skip(tag);
        }
      }
      return new Rpc(subs, msgs, control);
    }

    private SubOpts subOpts() throws IOException {
      Boolean subscribe = null;
      String topic = null;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, WireFormat.WIRETYPE_VARINT);
            once(subscribe);
            subscribe = in.readBool();
          }
          case 2 -> {
            once(topic);
            topic = string(tag);
          }
          default -> skip(tag);
        }
      }
      return new SubOpts(Boolean.TRUE.equals(subscribe), topic);
    }

    private PubsubMessage message() throws IOException {
      ByteString[] bytes = new ByteString[7];
      String topic = null;
      int tag;
      while ((tag = in.readTag()) != 0) {
        int field = WireFormat.getTagFieldNumber(tag);
        if (field == 4) {
          once(topic);
          topic = string(tag);
        } else if (field >= 1 && field <= 6) {
          once(bytes[field]);
          bytes[field] = bytes(tag);
        } else {
          skip(tag);
        }
      }
      return new PubsubMessage(bytes[1], bytes[2], bytes[3], topic, bytes[5], bytes[6]);
    }

    private ControlMessage control() throws IOException {
      List<IHave> ihave = new ArrayList<>();
      List<IWant> iwant = new ArrayList<>();
      List<Graft> graft = new ArrayList<>();
      List<Prune> prune = new ArrayList<>();
      List<IDontWant> idontwant = new ArrayList<>();
      int tag;
      while ((tag = in.readTag()) != 0) {
        int field = WireFormat.getTagFieldNumber(tag);
        if (field < 1 || field > 5) {
          skip(tag);
          continue;
        }
        expectDelimited(tag);
        if (++controlEntries > limits.maxControlEntries()) {
          throw new MalformedRpcException(
              "more than " + limits.maxControlEntries() + " control entries");
        }
        int old = enter();
        switch (field) {
          case 1 -> ihave.add(ihave());
          case 2 -> iwant.add(new IWant(ids(1)));
          case 3 -> graft.add(new Graft(topicOnly()));
          case 4 -> prune.add(prune());
          default -> idontwant.add(new IDontWant(ids(1)));
        }
        in.popLimit(old);
      }
      return new ControlMessage(ihave, iwant, graft, prune, idontwant);
    }

    private IHave ihave() throws IOException {
      String topic = null;
      List<ByteString> ids = new ArrayList<>();
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            once(topic);
            topic = string(tag);
          }
          case 2 -> ids.add(messageId(tag));
          default -> skip(tag);
        }
      }
      return new IHave(topic, ids);
    }

    private List<ByteString> ids(int field) throws IOException {
      List<ByteString> ids = new ArrayList<>();
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (WireFormat.getTagFieldNumber(tag) == field) {
          ids.add(messageId(tag));
        } else {
          skip(tag);
        }
      }
      return ids;
    }

    private String topicOnly() throws IOException {
      String topic = null;
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (WireFormat.getTagFieldNumber(tag) == 1) {
          once(topic);
          topic = string(tag);
        } else {
          skip(tag);
        }
      }
      return topic;
    }

    private Prune prune() throws IOException {
      String topic = null;
      List<PeerInfo> peers = new ArrayList<>();
      Long backoff = null;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            once(topic);
            topic = string(tag);
          }
          case 2 -> {
            expectDelimited(tag);
            if (++peerInfos > limits.maxPeerInfos()) {
              throw new MalformedRpcException("more than " + limits.maxPeerInfos() + " peer infos");
            }
            int old = enter();
            peers.add(peerInfo());
            in.popLimit(old);
          }
          case 3 -> {
            expect(tag, WireFormat.WIRETYPE_VARINT);
            once(backoff);
            backoff = in.readUInt64();
            if (backoff < 0) {
              throw new MalformedRpcException("backoff out of range");
            }
          }
          default -> skip(tag);
        }
      }
      return new Prune(topic, peers, backoff == null ? 0 : backoff);
    }

    private PeerInfo peerInfo() throws IOException {
      ByteString peerId = null;
      ByteString record = null;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            once(peerId);
            peerId = bytes(tag);
          }
          case 2 -> {
            once(record);
            record = bytes(tag);
          }
          default -> skip(tag);
        }
      }
      return new PeerInfo(peerId, record);
    }

    private ByteString messageId(int tag) throws IOException {
      if (++messageIds > limits.maxMessageIds()) {
        throw new MalformedRpcException("more than " + limits.maxMessageIds() + " message ids");
      }
      return bytes(tag);
    }

    /** Reads a nested message's length and narrows the stream to it; returns the old limit. */
    private int enter() throws IOException {
      int length = in.readRawVarint32();
      if (length < 0 || length > in.getBytesUntilLimit()) {
        throw new MalformedRpcException("truncated nested message");
      }
      return in.pushLimit(length);
    }

    private ByteString bytes(int tag) throws IOException {
      expectDelimited(tag);
      int length = in.readRawVarint32();
      if (length < 0 || length > in.getBytesUntilLimit()) {
        throw new MalformedRpcException("truncated bytes field");
      }
      return ByteString.copyFrom(in.readRawBytes(length));
    }

    private String string(int tag) throws IOException {
      ByteString raw = bytes(tag);
      if (raw.size() > limits.maxTopicLength()) {
        throw new MalformedRpcException("topic longer than " + limits.maxTopicLength() + " bytes");
      }
      if (!raw.isValidUtf8()) {
        throw new MalformedRpcException("topic is not UTF-8");
      }
      return raw.toStringUtf8();
    }

    private void skip(int tag) throws IOException {
      int type = WireFormat.getTagWireType(tag);
      if (type == WireFormat.WIRETYPE_START_GROUP
          || type == WireFormat.WIRETYPE_END_GROUP
          || type > 5) {
        throw new MalformedRpcException("groups and invalid wire types are refused");
      }
      if (++unknown > limits.maxUnknownFields()) {
        throw new MalformedRpcException(
            "more than " + limits.maxUnknownFields() + " unknown fields");
      }
      if (type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int length = in.readRawVarint32();
        if (length < 0 || length > in.getBytesUntilLimit()) {
          throw new MalformedRpcException("truncated unknown field");
        }
        in.skipRawBytes(length);
      } else {
        in.skipField(tag);
      }
    }

    private static void expectDelimited(int tag) {
      expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    }

    private static void expect(int tag, int wireType) {
      if (WireFormat.getTagWireType(tag) != wireType) {
        throw new MalformedRpcException(
            "field "
                + WireFormat.getTagFieldNumber(tag)
                + " has wire type "
                + WireFormat.getTagWireType(tag));
      }
    }

    private static void once(Object previous) {
      if (previous != null) {
        throw new MalformedRpcException("singular field repeated");
      }
    }
  }
}
