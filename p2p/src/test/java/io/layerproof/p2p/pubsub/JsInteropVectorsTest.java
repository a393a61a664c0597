package io.layerproof.p2p.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.ByteString;
import io.layerproof.p2p.identity.PeerKey;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Vectors exchanged with {@code @chainsafe/libp2p-gossipsub} 14.1.2 on Node 20 (its own
 * buildRawMessage, RPC.encode, validateToRawMessage and msgIdFnStrictSign), key = Ed25519 seed of
 * 32 zero bytes on both sides.
 */
class JsInteropVectorsTest {

  private static final HexFormat HEX = HexFormat.of();
  private final RpcCodec codec = new RpcCodec();

  /**
   * Encoded by js: a subscription to "jobs", one message signed by js ("hello from js", random
   * seqno, js sends the key field), IHAVE of its id, GRAFT, PRUNE with one PX peer and backoff 60.
   */
  static final String JS_RPC =
      "0a08080112046a6f627312af010a260024080112203b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a6"
          + "3ac048a18b59da29120d68656c6c6f2066726f6d206a731a0894e963e2506131ce22046a6f62732a40f8637e"
          + "f9ce33b145aaf22665c06eb7e91a1d3a1e4dd826f559aab223d6032663b4942b3cf01b09831db239573349ad"
          + "77215bbdb14b05e4c3b60a1a1b32dee5053224080112203b6a27bcceb6a42d62a3a8d02a6f0d73653215771d"
          + "e243a63ac048a18b59da291a720a340a046a6f6273122c080112203b6a27bcceb6a42d62a3a8d02a6f0d7365"
          + "3215771de243a63ac048a18b59da2994e963e2506131ce1a060a046a6f627322320a046a6f627312280a2600"
          + "24080112203b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29183c";

  /** msgIdFnStrictSign of that message, as js computed it. */
  static final String JS_MSG_ID =
      "080112203b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da2994e963e2506131ce";

  /**
   * Encoded here ("hello from java", seqno 0102030405060708); js's validateToRawMessage accepted it
   * as StrictSign-valid and its msgIdFnStrictSign gave {@link #JAVA_MSG_ID}.
   */
  static final String JAVA_RPC =
      "128b010a260024080112203b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29120f"
          + "68656c6c6f2066726f6d206a6176611a08010203040506070822046a6f62732a4079b92baa7f3f27f69908ab"
          + "ed5b2b41910469b2bb1bca0caef790f34459edaa173d1850de736f0dae767c90e69554405bb2d6577fe5057c"
          + "1ed0287f65c861690c";

  static final String JAVA_MSG_ID =
      "080112203b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da290102030405060708";

  @Test
  void aJsRpcDecodesVerifiesAndReencodesByteForByte() {
    byte[] wire = HEX.parseHex(JS_RPC);
    Rpc rpc = codec.decode(wire);
    assertEquals(List.of(new Rpc.SubOpts(true, "jobs")), rpc.subscriptions());
    PubsubMessage m = rpc.messages().get(0);
    assertEquals("hello from js", m.data().toStringUtf8());
    assertNotNull(m.key(), "js sends the key even when the peer id inlines it");
    assertEquals(MessageSigning.Check.VALID, MessageSigning.verify(m));
    assertEquals(JS_MSG_ID, HEX.formatHex(MessageIdFunction.JS_LIBP2P.apply(m).toByteArray()));
    assertEquals(
        JS_MSG_ID, HEX.formatHex(rpc.control().ihave().get(0).messageIds().get(0).toByteArray()));
    assertEquals(60, rpc.control().prune().get(0).backoffSeconds());
    assertEquals(
        ByteString.copyFrom(PeerKey.ofSeed(new byte[32]).peerId().toBytes()),
        rpc.control().prune().get(0).peers().get(0).peerId());
    assertEquals(JS_RPC, HEX.formatHex(codec.encode(rpc)));
  }

  @Test
  void aMessageSignedHereIsWhatJsAccepted() {
    PubsubMessage m =
        MessageSigning.sign(
            PeerKey.ofSeed(new byte[32]),
            "jobs",
            "hello from java".getBytes(StandardCharsets.UTF_8),
            HEX.parseHex("0102030405060708"));
    assertEquals(JAVA_RPC, HEX.formatHex(codec.encode(Rpc.ofMessages(List.of(m)))));
    assertEquals(JAVA_MSG_ID, HEX.formatHex(MessageIdFunction.JS_LIBP2P.apply(m).toByteArray()));
  }
}
