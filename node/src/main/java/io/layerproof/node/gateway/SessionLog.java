package io.layerproof.node.gateway;

import io.layerproof.chain.event.Bytes32;
import java.util.List;

/** Where {@link SessionStore} keeps its sessions across restarts. */
interface SessionLog extends AutoCloseable {

  /** Every session recorded, at open. */
  List<Session> loadAll();

  /** Records {@code s}, replacing the previous state of its id; durable on return. */
  void put(Session s);

  /** Forgets the sessions of {@code ids}. */
  void delete(List<Bytes32> ids);

  @Override
  default void close() {}

  /** Keeps nothing: the in-memory store. */
  SessionLog NONE =
      new SessionLog() {
        @Override
        public List<Session> loadAll() {
          return List.of();
        }

        @Override
        public void put(Session s) {}

        @Override
        public void delete(List<Bytes32> ids) {}
      };
}
