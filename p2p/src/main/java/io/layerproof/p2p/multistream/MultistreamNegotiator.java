package io.layerproof.p2p.multistream;

import io.layerproof.p2p.identity.Varint;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The multistream-select 1.0 state machine for one side of a negotiation, free of any I/O so it
 * runs over a TCP channel, inside a secure channel, or on a muxed stream alike. Feed it received
 * bytes; each {@link Step} carries the bytes to send and the outcome so far.
 *
 * <p>Messages are an unsigned varint length, then UTF-8 text ending in {@code \n} (the length
 * counts the newline). The initiator sends the header and its first proposal in one write
 * (pipelined, as js- and go-libp2p do) and moves to the next proposal on {@code na}. The responder
 * echoes a supported proposal, answers {@code na} otherwise, and answers {@code ls} with {@code na}
 * as well (listing is optional and nothing here depends on it).
 *
 * <p>Not thread-safe; one instance per negotiation.
 */
public final class MultistreamNegotiator {

  public static final String PROTOCOL_ID = "/multistream/1.0.0";
  public static final String NA = "na";
  public static final String LS = "ls";

  /** Longest message (including the newline) either side accepts or sends. */
  public static final int MAX_MESSAGE = 1024;

  /** Default cap on the proposals a responder answers before giving up on the initiator. */
  public static final int DEFAULT_MAX_PROPOSALS = 32;

  /** A varint of {@link #MAX_MESSAGE} takes two bytes; a third means the message is too long. */
  private static final int MAX_LENGTH_BYTES = 2;

  /** Where a negotiation stands after a step. */
  public sealed interface Outcome permits Pending, Selected, Failed {}

  /** Still negotiating. */
  public record Pending() implements Outcome {}

  /** Agreed on {@code protocol}; {@code remainder} arrived after the last select message. */
  public record Selected(String protocol, byte[] remainder) implements Outcome {}

  /** The negotiation failed; the connection or stream should be closed. */
  public record Failed(String reason) implements Outcome {}

  /** Bytes to send now (possibly empty) and the outcome so far. */
  public record Step(byte[] outgoing, Outcome outcome) {}

  private static final Pending PENDING = new Pending();

  private enum State {
    NEW,
    AWAIT_HEADER,
    AWAIT_ANSWER,
    AWAIT_PROPOSAL,
    DONE
  }

  private final boolean initiator;
  private final List<String> proposals;
  private final Set<String> supported;
  private final int maxProposals;
  private State state = State.NEW;
  private int index;
  private int received;

  /** An incomplete message carried over between reads; never more than one message. */
  private byte[] carry = new byte[0];

  private MultistreamNegotiator(
      boolean initiator, List<String> proposals, Set<String> supported, int maxProposals) {
    this.initiator = initiator;
    this.proposals = proposals;
    this.supported = supported;
    this.maxProposals = maxProposals;
  }

  /** Proposes {@code protocols} in order and accepts the first the responder echoes. */
  public static MultistreamNegotiator initiator(List<String> protocols) {
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("nothing to propose");
    }
    protocols.forEach(MultistreamNegotiator::checkProtocol);
    return new MultistreamNegotiator(true, List.copyOf(protocols), Set.of(), 0);
  }

  /** Accepts the first proposal in {@code supported}; fails after {@code maxProposals}. */
  public static MultistreamNegotiator responder(Set<String> supported, int maxProposals) {
    supported.forEach(MultistreamNegotiator::checkProtocol);
    if (maxProposals < 1) {
      throw new IllegalArgumentException("maxProposals must be positive");
    }
    return new MultistreamNegotiator(false, List.of(), Set.copyOf(supported), maxProposals);
  }

  public static MultistreamNegotiator responder(Set<String> supported) {
    return responder(supported, DEFAULT_MAX_PROPOSALS);
  }

  public boolean isInitiator() {
    return initiator;
  }

  /** Bytes held for an incomplete message; bounded by {@link #MAX_MESSAGE} plus its length. */
  public int bufferedBytes() {
    return carry.length;
  }

  /** The bytes that open the negotiation: the header, and for the initiator its first proposal. */
  public byte[] start() {
    if (state != State.NEW) {
      throw new IllegalStateException("already started");
    }
    state = State.AWAIT_HEADER;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeMessage(out, PROTOCOL_ID);
    if (initiator) {
      writeMessage(out, proposals.get(0));
    }
    return out.toByteArray();
  }

  /** Consumes received bytes. After a {@link Selected} or {@link Failed}, nothing more is read. */
  public Step receive(byte[] data, int offset, int length) {
    if (state == State.NEW) {
      throw new IllegalStateException("call start() first");
    }
    if (state == State.DONE) {
      throw new IllegalStateException("negotiation already over");
    }
    byte[] in;
    if (carry.length == 0) {
      in = Arrays.copyOfRange(data, offset, offset + length);
    } else {
      in = Arrays.copyOf(carry, carry.length + length);
      System.arraycopy(data, offset, in, carry.length, length);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    while (true) {
      int lengthAt = pos;
      long msgLength = 0;
      int shift = 0;
      boolean complete = false;
      while (pos < in.length && pos - lengthAt < MAX_LENGTH_BYTES) {
        int b = in[pos++] & 0xff;
        msgLength |= (long) (b & 0x7f) << shift;
        shift += 7;
        if ((b & 0x80) == 0) {
          complete = true;
          break;
        }
      }
      if (!complete) {
        if (pos - lengthAt >= MAX_LENGTH_BYTES) {
          return fail(out, "message longer than " + MAX_MESSAGE + " bytes");
        }
        carry = Arrays.copyOfRange(in, lengthAt, in.length);
        return new Step(out.toByteArray(), PENDING);
      }
      if (msgLength == 0 || msgLength > MAX_MESSAGE) {
        return fail(out, "message length " + msgLength + " outside 1.." + MAX_MESSAGE);
      }
      if (in.length - pos < msgLength) {
        carry = Arrays.copyOfRange(in, lengthAt, in.length);
        return new Step(out.toByteArray(), PENDING);
      }
      int end = pos + (int) msgLength;
      if (in[end - 1] != '\n') {
        return fail(out, "message does not end in a newline");
      }
      String message;
      try {
        message =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(in, pos, end - 1 - pos))
                .toString();
      } catch (CharacterCodingException e) {
        return fail(out, "message is not UTF-8");
      }
      pos = end;
      Outcome outcome = handle(message, out);
      if (outcome instanceof Failed f) {
        return fail(out, f.reason());
      }
      if (outcome instanceof Selected s) {
        state = State.DONE;
        carry = new byte[0];
        return new Step(
            out.toByteArray(), new Selected(s.protocol(), Arrays.copyOfRange(in, pos, in.length)));
      }
    }
  }

  private Outcome handle(String message, ByteArrayOutputStream out) {
    switch (state) {
      case AWAIT_HEADER -> {
        if (!PROTOCOL_ID.equals(message)) {
          return new Failed("expected " + PROTOCOL_ID + ", got " + printable(message));
        }
        state = initiator ? State.AWAIT_ANSWER : State.AWAIT_PROPOSAL;
        return PENDING;
      }
      case AWAIT_ANSWER -> {
        String proposed = proposals.get(index);
        if (proposed.equals(message)) {
          return new Selected(proposed, null);
        }
        if (!NA.equals(message)) {
          return new Failed("unexpected answer " + printable(message) + " to " + proposed);
        }
        if (++index == proposals.size()) {
          return new Failed("the remote supports none of " + proposals);
        }
        writeMessage(out, proposals.get(index));
        return PENDING;
      }
      case AWAIT_PROPOSAL -> {
        if (++received > maxProposals) {
          return new Failed("more than " + maxProposals + " proposals");
        }
        if (supported.contains(message)) {
          writeMessage(out, message);
          return new Selected(message, null);
        }
        // Unknown protocol or "ls" (listing is not offered): either way the answer is na.
        writeMessage(out, NA);
        return PENDING;
      }
      default -> throw new IllegalStateException(state.toString());
    }
  }

  private Step fail(ByteArrayOutputStream out, String reason) {
    state = State.DONE;
    carry = new byte[0];
    return new Step(out.toByteArray(), new Failed(reason));
  }

  /** One framed message: varint length, UTF-8 text, newline. */
  public static byte[] encodeMessage(String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeMessage(out, message);
    return out.toByteArray();
  }

  private static void writeMessage(ByteArrayOutputStream out, String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    Varint.write(out, text.length + 1L);
    out.writeBytes(text);
    out.write('\n');
  }

  private static void checkProtocol(String protocol) {
    if (protocol.isEmpty()
        || protocol.indexOf('\n') >= 0
        || protocol.getBytes(StandardCharsets.UTF_8).length + 1 > MAX_MESSAGE) {
      throw new IllegalArgumentException("invalid protocol id: " + printable(protocol));
    }
  }

  /** A short, log-safe rendering of text the remote sent. */
  private static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    return '"' + cut.replaceAll("\\p{Cntrl}", "?") + '"';
  }
}
