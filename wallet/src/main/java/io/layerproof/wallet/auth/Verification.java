package io.layerproof.wallet.auth;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.wallet.eip712.GatewayMessage;
import java.util.Objects;

/**
 * The outcome of checking a signed gateway message: {@link Valid} with the recovered signer, or
 * {@link Invalid} with the first reason found. Replay is not checked here: the gateway keeps the
 * nonces it has accepted per signer and refuses a repeat.
 */
public sealed interface Verification<T extends GatewayMessage>
    permits Verification.Valid, Verification.Invalid {

  /** The message, its signer (recovered from the signature) and the EIP-712 digest signed. */
  record Valid<T extends GatewayMessage>(T message, EthAddress signer, Bytes32 digest)
      implements Verification<T> {
    public Valid {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(signer, "signer");
      Objects.requireNonNull(digest, "digest");
    }
  }

  /** Why the message is refused. */
  record Invalid<T extends GatewayMessage>(RejectReason reason, String detail)
      implements Verification<T> {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    /** The outcome a {@link RejectedException} stands for (its detail without the reason). */
    public static <T extends GatewayMessage> Invalid<T> of(RejectedException e) {
      String m = e.getMessage();
      String prefix = e.reason() + ": ";
      return new Invalid<>(e.reason(), m.startsWith(prefix) ? m.substring(prefix.length()) : m);
    }
  }

  default boolean isValid() {
    return this instanceof Valid;
  }

  /** The valid outcome, or a {@link RejectedException} carrying the reason. */
  default Valid<T> orThrow() throws RejectedException {
    if (this instanceof Valid<T> v) {
      return v;
    }
    Invalid<T> i = (Invalid<T>) this;
    throw new RejectedException(i.reason(), i.detail());
  }

  /** The reason when invalid, else null. */
  default RejectReason reasonOrNull() {
    return this instanceof Invalid<T> i ? i.reason() : null;
  }
}
