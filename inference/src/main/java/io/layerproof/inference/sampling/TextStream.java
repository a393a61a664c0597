package io.layerproof.inference.sampling;

import io.layerproof.inference.model.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns generated ids into text deltas: holds back an unfinished UTF-8 character (decoded as
 * U+FFFD) and any tail that could still become a stop sequence, and cuts the text before the first
 * stop sequence that appears.
 */
final class TextStream {

  private final TextTokenizer tokenizer;
  private final List<String> stops;
  private final List<Integer> ids = new ArrayList<>();
  private String text = "";
  private int emitted;
  private boolean stopped;

  TextStream(TextTokenizer tokenizer, List<String> stops) {
    if (tokenizer == null && !stops.isEmpty()) {
      throw new IllegalArgumentException("stop sequences need the model's tokenizer");
    }
    this.tokenizer = tokenizer;
    this.stops = stops;
  }

  /** Adds a token; returns the text that is now final. */
  String add(int id) {
    if (tokenizer == null) {
      return "";
    }
    ids.add(id);
    String full = tokenizer.decode(ids.stream().mapToInt(Integer::intValue).toArray(), true);
    int stopAt = firstStop(full);
    if (stopAt >= 0) {
      stopped = true;
      text = full.substring(0, stopAt);
      return take(text.length());
    }
    text = full;
    int safe = full.length();
    while (safe > emitted && full.charAt(safe - 1) == '\uFFFD') {
      safe--;
    }
    safe -= openStopPrefix(full, safe);
    return take(safe);
  }

  /** Everything not yet emitted. */
  String finish() {
    return take(text.length());
  }

  boolean stopped() {
    return stopped;
  }

  String text() {
    return text;
  }

  private String take(int end) {
    if (end <= emitted) {
      return "";
    }
    String delta = text.substring(emitted, end);
    emitted = end;
    return delta;
  }

  private int firstStop(String full) {
    int best = -1;
    for (String s : stops) {
      int i = full.indexOf(s);
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
      }
    }
    return best;
  }

  /** Length of the longest tail of full[0, end) that is a proper prefix of a stop sequence. */
  private int openStopPrefix(String full, int end) {
    int hold = 0;
    for (String s : stops) {
      for (int k = Math.min(s.length() - 1, end); k > hold; k--) {
        if (full.regionMatches(end - k, s, 0, k)) {
          hold = k;
          break;
        }
      }
    }
    return hold;
  }
}
