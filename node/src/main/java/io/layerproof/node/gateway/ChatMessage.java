package io.layerproof.node.gateway;

import java.util.List;
import java.util.Objects;

/** One chat message: its role and its text (text parts of array content joined). */
public record ChatMessage(String role, String content) {

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  /**
   * The prompt template: each message as {@code <|role|>\n} + content + {@code \n}, then {@code
   * <|assistant|>\n} for the model to continue. No special tokens; the byte-level devnet tokenizer
   * reads it as plain text.
   */
  public static String render(List<ChatMessage> messages) {
    StringBuilder b = new StringBuilder();
    for (ChatMessage m : messages) {
      b.append("<|").append(m.role()).append("|>\n").append(m.content()).append('\n');
    }
    return b.append("<|assistant|>\n").toString();
  }
}
