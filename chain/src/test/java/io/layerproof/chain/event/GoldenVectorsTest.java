package io.layerproof.chain.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerproof.chain.ledger.EntryHashes;
import io.layerproof.chain.merkle.MerkleTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the canonical encoding and every hash derived from it, so that an accidental change (a
 * Jackson upgrade, a renamed field, a new mapper feature) fails here instead of forking the
 * network. The files under {@code src/test/resources/ledger/golden/} hold the exact bytes: one file
 * per event and per envelope, and {@code vectors.json} with the hashes.
 *
 * <p>To regenerate after an intended format change (which needs a new {@code "v"}): run with {@code
 * -Dlayerproof.golden.write=true} and review the diff.
 */
class GoldenVectorsTest {

  private static final Path DIR = Path.of("src/test/resources/ledger/golden");
  private static final boolean WRITE = Boolean.getBoolean("layerproof.golden.write");
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The golden author: a test key from a fixed seed string, nothing real. */
  private static final NodeKey AUTHOR = TestEvents.nodeKey("golden-author");

  @Test
  void canonicalBytesAndHashesMatchTheGoldenVectors() throws IOException {
    ObjectNode vectors = PRETTY.createObjectNode();
    vectors.put("authorPublicKey", AUTHOR.id().toString());
    vectors.put("authorSeed", "SHA-256(\"layerproof test node key: golden-author\")");

    ObjectNode events = vectors.putObject("events");
    for (LedgerEvent e : TestEvents.oneOfEach()) {
      byte[] bytes = CanonicalJson.encode(e);
      check("events/" + e.type() + ".json", bytes);
      events.put(e.type(), Bytes32.keccak(bytes).toString());
    }

    List<SignedEvent> envelopes = goldenEnvelopes();
    ObjectNode env = vectors.putObject("envelopes");
    ArrayNode chain = vectors.putArray("hashChain");
    Bytes32 previous = Bytes32.ZERO;
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < envelopes.size(); i++) {
      SignedEvent s = envelopes.get(i);
      byte[] wire = s.toWire();
      check("envelope-" + s.event().type() + ".json", wire);
      Bytes32 bodyHash = EnvelopeFormat.bodyHash(CanonicalJson.encode(s.body()));
      Bytes32 envelopeHash = EnvelopeFormat.envelopeHash(bodyHash, s.sig());
      ObjectNode o = env.putObject(s.event().type());
      o.put("bodyHash", bodyHash.toString());
      o.put(
          "signingMessage",
          "0x" + HexFormat.of().formatHex(EnvelopeFormat.signingMessage(bodyHash)));
      o.put("sig", s.sig().toString());
      o.put("envelopeHash", envelopeHash.toString());

      Bytes32 entryHash = EntryHashes.entryHash(previous, i, envelopeHash);
      Bytes32 leaf = EntryHashes.leaf(i, entryHash);
      ObjectNode link = chain.addObject();
      link.put("index", i);
      link.put("entryHash", entryHash.toString());
      link.put("leaf", leaf.toString());
      leaves.add(leaf.toByteArray());
      previous = entryHash;
    }
    vectors.put("batchRoot", Bytes32.of(MerkleTree.of(leaves).root()).toString());

    byte[] json = PRETTY.writeValueAsBytes(vectors);
    if (WRITE) {
      Files.write(DIR.resolve("vectors.json"), json);
    }
    JsonNode expected = PRETTY.readTree(DIR.resolve("vectors.json").toFile());
    assertEquals(expected, PRETTY.readTree(json), "hashes differ from vectors.json");
  }

  @Test
  void theGoldenEnvelopesStillVerify() throws IOException {
    EnvelopeVerifier verifier = new EnvelopeVerifier(TestEvents.DOMAIN);
    for (SignedEvent s : goldenEnvelopes()) {
      byte[] stored = Files.readAllBytes(DIR.resolve("envelope-" + s.event().type() + ".json"));
      assertEquals(s, verifier.verify(stored).envelope());
    }
  }

  /** A token event and a buyer-signed JobPosted, with fixed ids and sequence numbers. */
  private static List<SignedEvent> goldenEnvelopes() {
    TestEvents.SignedRequest req =
        TestEvents.postJob(TestEvents.DOMAIN, TestEvents.buyer("alice"), 1);
    EventBody posted =
        new EventBody(
            EnvelopeFormat.VERSION,
            TestEvents.DOMAIN.chainId(),
            TestEvents.DOMAIN.contract(),
            AUTHOR.id(),
            6,
            TestEvents.eventId("golden-1"),
            req.event(),
            req.signature());
    EventBody token =
        new EventBody(
            EnvelopeFormat.VERSION,
            TestEvents.DOMAIN.chainId(),
            TestEvents.DOMAIN.contract(),
            AUTHOR.id(),
            7,
            TestEvents.eventId("golden-2"),
            new TokenStreamed(req.event().jobId(), 0, 29_871),
            null);
    return List.of(EventSigner.sign(AUTHOR, posted), EventSigner.sign(AUTHOR, token));
  }

  private static void check(String name, byte[] actual) throws IOException {
    Path file = DIR.resolve(name);
    if (WRITE) {
      Files.createDirectories(file.getParent());
      Files.write(file, actual);
    }
    assertArrayEquals(Files.readAllBytes(file), actual, () -> name + " changed");
  }
}
