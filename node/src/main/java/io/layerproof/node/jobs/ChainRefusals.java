package io.layerproof.node.jobs;

import io.layerproof.chain.contracts.ContractRevertException;
import io.layerproof.node.gateway.GatewayException;

/**
 * What JobMarket's refusal to open a job means to the client. The gateway checks the same things
 * first, so these mostly answer races (a nonce used through another gateway, escrow withdrawn in
 * between) and on-chain state the gateway cannot see (a session revoked on chain).
 */
final class ChainRefusals {

  private ChainRefusals() {}

  static GatewayException of(ContractRevertException e) {
    String name = e.errorName() == null ? "" : e.errorName();
    return switch (name) {
      case "NonceAlreadyUsed" ->
          GatewayException.conflict("nonce_replayed", "JobMarket: the nonce was already used.");
      case "InsufficientFreeBalance" ->
          GatewayException.paymentRequired(
              "insufficient_escrow", "JobMarket: the escrow's free balance does not cover it.");
      case "SessionCapExceeded" ->
          GatewayException.paymentRequired(
              "session_exhausted", "JobMarket: the session's spending cap is used up.");
      case "SessionIsRevoked" ->
          GatewayException.forbidden("session_revoked", "JobMarket: the session was revoked.");
      case "SessionExpired", "RequestExpired" ->
          GatewayException.unauthorized("expired", "JobMarket: the authorisation has expired.");
      case "InvalidBuyerSignature", "InvalidSessionSignature" ->
          GatewayException.unauthorized(
              "wrong_signer", "JobMarket: the signature is not the buyer's.");
      default ->
          new GatewayException(
              503,
              "server_error",
              "chain_refused",
              "JobMarket refused to open the job (" + (name.isEmpty() ? "reverted" : name) + ").");
    };
  }
}
