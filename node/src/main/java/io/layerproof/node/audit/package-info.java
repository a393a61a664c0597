/**
 * Audits of finished or running jobs ({@code layerproof audit job <id>}): {@link
 * io.layerproof.node.audit.JobAuditor} compares every ledger event of a job with what the contracts
 * hold (the buyer's signed request, the shard assignment, commitment roots, anchored batch roots
 * and inclusion proofs checked in Java and by {@code LedgerAnchor.verifyInclusion}, verdicts,
 * fraud, payouts, refunds, slashes and claims) and returns an {@link
 * io.layerproof.node.audit.AuditReport}; {@link io.layerproof.node.audit.AuditReports} renders it
 * as text or JSON.
 */
package io.layerproof.node.audit;
