package io.layerproof.p2p.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer-ids spec's test vectors, and what the spec says must be refused. */
class PeerIdTest {

  private static final HexFormat HEX = HexFormat.of();

  /** peer-ids.md, "Test vectors": an Ed25519 key pair as PrivateKey and PublicKey protobufs. */
  static final String SPEC_PRIVATE =
      "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
          + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

  static final String SPEC_PUBLIC =
      "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

  @Test
  void theSpecsEd25519KeyPairRoundTrips() {
    PeerKey key = PeerKey.fromProtobuf(HEX.parseHex(SPEC_PRIVATE));
    assertEquals(SPEC_PUBLIC, HEX.formatHex(key.publicKey().toProtobuf()));
    assertEquals(SPEC_PRIVATE, HEX.formatHex(key.toProtobuf()));
    PeerPublicKey pub = PeerPublicKey.fromProtobuf(HEX.parseHex(SPEC_PUBLIC));
    assertEquals(key.publicKey(), pub);
    // An Ed25519 key is 36 protobuf bytes: the peer id inlines it (identity multihash).
    assertEquals("0024" + SPEC_PUBLIC, HEX.formatHex(key.peerId().toBytes()));
    assertTrue(key.peerId().toBase58().startsWith("12D3KooW"));
    assertEquals(pub, key.peerId().publicKey().orElseThrow());
  }

  @Test
  void theSpecsStringFormsParseToTheSameIds() {
    // peer-ids.md, "String representation": one SHA2-256 peer id as CIDv1 and as base58btc.
    PeerId cid = PeerId.fromString("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    PeerId legacy = PeerId.fromString("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    assertEquals(legacy, cid);
    assertEquals("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N", cid.toBase58());
    assertEquals("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe", legacy.toCid());
    assertTrue(legacy.publicKey().isEmpty(), "a hashed id does not reveal its key");

    // And its Ed25519 example, an identity multihash that carries the key.
    PeerId ed = PeerId.fromString("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
    assertEquals("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", ed.toBase58());
    PeerPublicKey key = ed.publicKey().orElseThrow();
    assertTrue(ed.matches(key));
    assertEquals(ed, PeerId.fromString(ed.toCid()));
  }

  @Test
  void malformedIdsAndKeysAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> PeerId.fromString(""));
    assertThrows(IllegalArgumentException.class, () -> PeerId.fromString("Qm0OIl"));
    assertThrows(IllegalArgumentException.class, () -> PeerId.fromString("zQm"));
    // A dag-pb CID is not a peer id.
    assertThrows(
        IllegalArgumentException.class,
        () -> PeerId.fromString("bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4"));
    assertThrows(IllegalArgumentException.class, () -> PeerId.fromBytes(new byte[] {0x12, 3, 1}));
    assertThrows(IllegalArgumentException.class, () -> PeerId.fromBytes(new byte[] {0x11, 1, 1}));
    // Non-deterministic key protobufs (fields swapped, repeated, trailing data) are refused.
    byte[] pub = HEX.parseHex(SPEC_PUBLIC);
    byte[] swapped = new byte[pub.length];
    System.arraycopy(pub, 2, swapped, 0, 34);
    System.arraycopy(pub, 0, swapped, 34, 2);
    assertThrows(IllegalArgumentException.class, () -> PeerPublicKey.fromProtobuf(swapped));
    byte[] trailing = java.util.Arrays.copyOf(pub, pub.length + 2);
    trailing[pub.length] = 8;
    trailing[pub.length + 1] = 1;
    assertThrows(IllegalArgumentException.class, () -> PeerPublicKey.fromProtobuf(trailing));
    // A secp256k1 key (spec vector) is well-formed but not a key this network accepts.
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PeerPublicKey.fromProtobuf(
                HEX.parseHex(
                    "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99")));
    // A private key whose public half is someone else's.
    byte[] priv = HEX.parseHex(SPEC_PRIVATE);
    priv[priv.length - 1] ^= 1;
    assertThrows(IllegalArgumentException.class, () -> PeerKey.fromProtobuf(priv));
  }

  @Test
  void signaturesVerifyOnlyForTheirKeyAndMessage() {
    PeerKey a = PeerKey.generate();
    PeerKey b = PeerKey.generate();
    byte[] msg = "hello".getBytes();
    byte[] sig = a.sign(msg);
    assertTrue(a.publicKey().verify(msg, sig));
    assertFalse(b.publicKey().verify(msg, sig));
    assertFalse(a.publicKey().verify("hellp".getBytes(), sig));
    assertFalse(a.publicKey().verify(msg, new byte[10]));
  }

  @Test
  void theKeyFileIsMadeOnceOwnerOnlyAndLoadedBack(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node").resolve("peer.key");
    PeerKey made = PeerKey.loadOrCreate(file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    PeerKey loaded = PeerKey.loadOrCreate(file);
    assertEquals(made.peerId(), loaded.peerId());
    assertArrayEquals(made.toProtobuf(), Files.readAllBytes(file));
    assertFalse(made.toString().contains(HEX.formatHex(made.toProtobuf()).substring(8, 40)));
    Files.write(file, new byte[] {1, 2, 3});
    assertThrows(IllegalArgumentException.class, () -> PeerKey.loadOrCreate(file));
  }

  @Property(tries = 200)
  void base58AndBase32RoundTrip(@ForAll byte[] data) {
    assertArrayEquals(data, Multibase.decodeBase58(Multibase.base58(data)));
    assertArrayEquals(data, Multibase.decodeBase32(Multibase.base32(data)));
  }

  @Property(tries = 200)
  void varintsRoundTripMinimally(@ForAll long value) {
    long v = value & Long.MAX_VALUE;
    byte[] enc = Varint.encode(v);
    int[] pos = {0};
    assertEquals(v, Varint.read(enc, pos));
    assertEquals(enc.length, pos[0]);
  }
}
