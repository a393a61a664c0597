package io.layerproof.p2p.pubsub;

import java.util.List;

/**
 * One pubsub {@code RPC}: subscription changes, published messages and gossipsub control. Lists are
 * copied (immutable); {@code control} is never null (empty when absent on the wire).
 */
public record Rpc(
    List<SubOpts> subscriptions, List<PubsubMessage> messages, ControlMessage control) {

  public static final Rpc EMPTY = new Rpc(List.of(), List.of(), ControlMessage.EMPTY);

  public Rpc {
    subscriptions = List.copyOf(subscriptions);
    messages = List.copyOf(messages);
    control = control == null ? ControlMessage.EMPTY : control;
  }

  public static Rpc ofSubscriptions(List<SubOpts> subscriptions) {
    return new Rpc(subscriptions, List.of(), ControlMessage.EMPTY);
  }

  public static Rpc ofMessages(List<PubsubMessage> messages) {
    return new Rpc(List.of(), messages, ControlMessage.EMPTY);
  }

  public static Rpc ofControl(ControlMessage control) {
    return new Rpc(List.of(), List.of(), control);
  }

  public boolean isEmpty() {
    return subscriptions.isEmpty() && messages.isEmpty() && control.isEmpty();
  }

  /**
   * {@code SubOpts}: subscribe ({@code true}) or unsubscribe from {@code topic}.
   *
   * @param topic may be null only when decoded from a peer that omitted it (then ignored)
   */
  public record SubOpts(boolean subscribe, String topic) {}
}
