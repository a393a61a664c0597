package io.layerproof.inference.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GPT-2 style byte-level BPE {@code tokenizer.json}: ids 0..255 are the bytes themselves (so any
 * text round-trips), then BOS and EOS, then merges of common English pieces, then reserved special
 * tokens up to the vocabulary size so that every id the model can emit decodes.
 */
public final class ByteLevelTokenizer {

  public static final String BOS = "<|begin_of_text|>";
  public static final String EOS = "<|end_of_text|>";
  public static final int BOS_ID = 256;
  public static final int EOS_ID = 257;
  public static final int MIN_VOCAB = 258;

  /** Pieces to merge, most frequent first; each is built from two earlier tokens. */
  private static final String[] PIECES = {
    " t", " a", "he", "in", "re", "on", " the", "er", " s", "at", " w", " o", "en", " c", "it",
    "is", "an", "or", "es", " b", "ed", " f", "ing", " p", "ou", " in", " m", " d", "ar", "al",
    " to", " of", " and", " h", "as", "ic", "le", "ion", " th", "om", "ll", "ent", " n", " l", "st",
    " re", "ve", " e", "ro", "ly", " be", " g", "ct", " y", " is", "ot", " u", "ay", " on", "ut",
    " that", " for", "id", "im", "et", "ch", "ow", "ith", " it", "ce", " with", " you", "ver",
    " st", "ad", "ers", " an", "ation", " we", " layer", " proof", " block", " chain", " token",
    " model", " node", " hash", " root", " job"
  };

  private static final ObjectMapper JSON = new ObjectMapper();

  private ByteLevelTokenizer() {}

  /** The tokenizer.json text for a vocabulary of {@code vocabSize} ids. */
  public static String json(int vocabSize) {
    if (vocabSize < MIN_VOCAB) {
      throw new IllegalArgumentException(
          "a byte-level vocabulary needs at least " + MIN_VOCAB + " ids, got " + vocabSize);
    }
    String[] byteChars = bytesToUnicode();
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (int b = 0; b < 256; b++) {
      vocab.put(byteChars[b], b);
    }
    vocab.put(BOS, BOS_ID);
    vocab.put(EOS, EOS_ID);
    List<String> merges = new ArrayList<>();
    for (String piece : PIECES) {
      if (vocab.size() >= vocabSize) {
        break;
      }
      String token = mapped(piece, byteChars);
      if (vocab.containsKey(token)) {
        continue;
      }
      // Longest known left part whose remainder is also known.
      for (int cut = token.length() - 1; cut > 0; cut--) {
        String left = token.substring(0, cut);
        String right = token.substring(cut);
        if (vocab.containsKey(left) && vocab.containsKey(right)) {
          merges.add(left + " " + right);
          vocab.put(token, vocab.size());
          break;
        }
      }
    }
    List<String> specials = new ArrayList<>(List.of(BOS, EOS));
    for (int r = 0; vocab.size() < vocabSize; r++) {
      String name = "<|reserved_special_token_" + r + "|>";
      vocab.put(name, vocab.size());
      specials.add(name);
    }
    return render(vocab, merges, specials);
  }

  private static String render(Map<String, Integer> vocab, List<String> merges, List<String> sp) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String s : sp) {
      added
          .addObject()
          .put("id", vocab.get(s))
          .put("content", s)
          .put("single_word", false)
          .put("lstrip", false)
          .put("rstrip", false)
          .put("normalized", false)
          .put("special", true);
    }
    root.putNull("normalizer");
    root.set("pre_tokenizer", byteLevel());
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    single.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    ArrayNode pair = post.putArray("pair");
    pair.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 1);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    ObjectNode bos = post.putObject("special_tokens").putObject(BOS);
    bos.put("id", BOS);
    bos.putArray("ids").add(BOS_ID);
    bos.putArray("tokens").add(BOS);
    root.set("decoder", byteLevel());
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", false);
    ObjectNode v = model.putObject("vocab");
    vocab.forEach(v::put);
    ArrayNode m = model.putArray("merges");
    merges.forEach(m::add);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode byteLevel() {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "ByteLevel");
    n.put("add_prefix_space", false);
    n.put("trim_offsets", true);
    n.put("use_regex", true);
    return n;
  }

  private static String mapped(String text, String[] byteChars) {
    StringBuilder sb = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      sb.append(byteChars[b & 0xff]);
    }
    return sb.toString();
  }

  /** GPT-2's reversible map from bytes to printable characters. */
  static String[] bytesToUnicode() {
    String[] out = new String[256];
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      out[b] = printable ? String.valueOf((char) b) : String.valueOf((char) (256 + extra++));
    }
    return out;
  }
}
