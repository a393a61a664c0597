/**
 * Verification on a node: turns the verifier's escalation ({@link
 * io.layerproof.verifier.escalation.Escalation}) into outcomes on chain. {@link
 * io.layerproof.node.verification.AuditRound} checks a job's committed shards with samples drawn
 * from a seed fixed after the last commitment ({@link io.layerproof.node.verification.AuditSeed}),
 * challenges providers through encoded reveals ({@link
 * io.layerproof.node.verification.RevealTransport}), asks a quorum of other verifiers ({@link
 * io.layerproof.node.verification.QuorumMember}) to re-check an accusation themselves, and on their
 * confirmation proves the fraud with {@code JobMarket.resolveFraud} ({@link
 * io.layerproof.node.verification.FraudResolver}); a shard that passes gets a signed {@code
 * VerificationPassed}.
 */
package io.layerproof.node.verification;
