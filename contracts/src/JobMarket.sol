// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ProviderRegistry} from "./ProviderRegistry.sol";
import {RewardDistributor} from "./RewardDistributor.sol";

/// @title JobMarket
/// @notice Buyer escrow and the life of one inference job: a sequencer opens it with the buyer's
/// EIP-712 signed request and a shard assignment, providers commit to their layer activations,
/// and after the challenge window the job is either finalized (providers and verifier paid
/// through the RewardDistributor, the unused part refunded) or, on a verifier quorum's fraud
/// verdict, the cheating provider is slashed and the buyer refunded in full. Instead of signing
/// each request, a buyer may sign one SessionGrant: active sequencers then open jobs for the
/// buyer under it (openJobWithSession) up to its spending cap, until it expires or is revoked.
/// @dev Money invariants, to the wei, between transactions:
///  (M1) token.balanceOf(this) >= sum over buyers of escrow.balance, with equality unless tokens
///       were sent here directly. Slashed tokens arrive and leave within resolveFraud.
///  (M2) for every buyer, escrow.locked == sum of maxPrice over the buyer's Open jobs
///       and escrow.locked <= escrow.balance; only balance - locked can be withdrawn.
///  (M5) for every buyer and session, sessionSpent == sum of maxPrice over the jobs opened under
///       it, each of which was within the cap of the grant it was opened with.
///  (M3) finalize: maxPrice == cost + refund, cost == verifierFee + sum(provider payouts);
///       cost leaves escrow to the distributor, refund stays in the buyer's free balance.
///  (M4) resolveFraud: slashed == challengers * rewardEach + toTreasury; the buyer's maxPrice
///       is unlocked in full.
/// ECDSA (not SignatureChecker) checks the buyer: OpenZeppelin 5.4's SignatureChecker imports
/// Bytes.sol, which uses MCOPY, and the contracts target Shanghai. So buyers are EOAs.
contract JobMarket is AccessControl, ReentrancyGuard, EIP712 {
    using SafeERC20 for IERC20;

    bytes32 public constant JOB_REQUEST_TYPEHASH = keccak256(
        "JobRequest(bytes32 model,bytes32 messagesHash,uint256 maxTokens,uint256 maxPrice,uint256 nonce,uint256 expiry)"
    );
    bytes32 public constant FRAUD_VERDICT_TYPEHASH =
        keccak256("FraudVerdict(bytes32 jobId,uint256 shardIndex,bytes32 evidenceHash)");
    bytes32 public constant SESSION_GRANT_TYPEHASH =
        keccak256("SessionGrant(bytes32 sessionId,uint256 spendingCap,uint64 expiry,uint256 nonce)");
    bytes32 public constant REVOKE_SESSION_TYPEHASH = keccak256("RevokeSession(bytes32 sessionId,uint256 nonce)");

    uint256 public constant BPS = 10_000;
    /// @notice Bounds the loops of openJob / finalize / resolveFraud.
    uint256 public constant MAX_SHARDS = 16;
    uint256 public constant MAX_VERDICT_SIGNERS = 32;
    uint256 public constant MAX_UNIT_PRICE = type(uint128).max;
    uint256 public constant MAX_VERIFIER_FEE_BPS = 5_000;
    uint32 public constant MIN_WINDOW = 1 minutes;
    uint32 public constant MAX_COMMIT_WINDOW = 7 days;
    uint32 public constant MAX_CHALLENGE_WINDOW = 30 days;

    uint8 private constant ROLE_PROVIDER = 1;
    uint8 private constant ROLE_VERIFIER = 2;
    uint8 private constant ROLE_SEQUENCER = 4;

    /// @notice What the buyer signs (EIP-712, domain "Layerproof JobMarket" version "1").
    struct JobRequest {
        bytes32 model;
        bytes32 messagesHash;
        uint256 maxTokens;
        uint256 maxPrice;
        uint256 nonce;
        uint256 expiry;
    }

    /// @notice What the buyer signs once (EIP-712, same domain) to open a spending session: any
    /// active sequencer may then open jobs for the buyer without a per-request signature, while
    /// now < expiry, the session is not revoked, and the maxPrice of all jobs opened under
    /// sessionId stays <= spendingCap. `nonce` is the wallet's own counter (so a buyer can sign
    /// distinct grants); it is not consumed on chain: the sessionId is the unit of spending and
    /// of revocation.
    struct SessionGrant {
        bytes32 sessionId;
        uint256 spendingCap;
        uint64 expiry;
        uint256 nonce;
    }

    /// @notice Provider of layers [startLayer, endLayer). Shards are contiguous from layer 0.
    struct ShardAssignment {
        address provider;
        uint16 startLayer;
        uint16 endLayer;
    }

    struct MarketParams {
        uint256 unitPrice; // token wei per declared work unit
        uint16 verifierFeeBps; // share of the job cost paid to the assigned verifier
        uint32 commitWindow; // seconds from openJob to the commit deadline
        uint32 challengeWindow; // seconds after the last commitment (or the commit deadline)
        uint8 quorum; // distinct verifier signatures needed to prove fraud
        uint16 slashBps; // share of the provider's bonded stake slashed on fraud
        uint16 challengerRewardBps; // share of the slashed amount split among the signers
        address treasury; // receives the rest of the slashed amount
    }

    enum JobStatus {
        None,
        Open,
        Finalized,
        Fraud
    }

    enum PayoutKind {
        Provider,
        Verifier,
        Challenger
    }

    struct Job {
        address buyer;
        uint40 commitDeadline;
        uint32 challengeWindow; // snapshot: later parameter changes do not move running jobs
        JobStatus status;
        uint8 shardCount;
        uint8 committedCount;
        address verifier;
        uint40 lastCommitAt;
        uint16 verifierFeeBps; // snapshot
        uint256 maxPrice;
        uint256 unitPrice; // snapshot
        uint256 totalWorkUnits;
    }

    struct Shard {
        address provider;
        uint16 startLayer;
        uint16 endLayer;
        uint64 workUnits;
        bytes32 root; // zero until committed
    }

    struct Escrow {
        uint256 balance;
        uint256 locked;
    }

    IERC20 public immutable token;
    ProviderRegistry public immutable registry;
    RewardDistributor public immutable distributor;

    MarketParams private _params;
    mapping(address => Escrow) private _escrows;
    mapping(address => mapping(uint256 => bool)) public nonceUsed;
    mapping(bytes32 => Job) private _jobs;
    mapping(bytes32 => mapping(uint256 => Shard)) private _shards;
    /// @notice Sum of maxPrice locked by the jobs opened under buyer's sessionId (the conservative
    /// bound: it counts what was locked, not what the jobs finally cost, and never goes down).
    mapping(address => mapping(bytes32 => uint256)) public sessionSpent;
    mapping(address => mapping(bytes32 => bool)) public sessionRevoked;

    event Deposited(address indexed buyer, uint256 amount, uint256 balance);
    event Withdrawn(address indexed buyer, uint256 amount, uint256 balance);
    event NonceCancelled(address indexed buyer, uint256 nonce);
    event JobOpened(
        bytes32 indexed jobId,
        address indexed buyer,
        address indexed verifier,
        address sequencer,
        bytes32 model,
        bytes32 messagesHash,
        uint256 maxTokens,
        uint256 maxPrice,
        uint256 nonce,
        uint256 expiry
    );
    /// @notice A job opened under a session grant; `spent` is the session's total after it.
    event SessionCharged(
        bytes32 indexed jobId, address indexed buyer, bytes32 indexed sessionId, uint256 amount, uint256 spent
    );
    event SessionRevoked(address indexed buyer, bytes32 indexed sessionId);
    event ShardAssigned(
        bytes32 indexed jobId, uint256 shardIndex, address indexed provider, uint16 startLayer, uint16 endLayer
    );
    event CommitmentPosted(
        bytes32 indexed jobId, uint256 indexed shardIndex, address indexed provider, bytes32 root, uint256 workUnits
    );
    event JobFinalized(bytes32 indexed jobId, uint256 cost, uint256 verifierFee, uint256 refund, uint256 totalWorkUnits);
    /// @notice One per payee; the settlement module sums these into the epoch's cumulative balances.
    event Payout(bytes32 indexed jobId, address indexed account, uint256 amount, PayoutKind kind);
    event FraudProven(
        bytes32 indexed jobId,
        uint256 indexed shardIndex,
        address indexed provider,
        bytes32 evidenceHash,
        uint256 slashed,
        uint256 challengerRewards,
        uint256 toTreasury,
        uint256 refunded
    );
    event ParamsUpdated(
        uint256 unitPrice,
        uint16 verifierFeeBps,
        uint32 commitWindow,
        uint32 challengeWindow,
        uint8 quorum,
        uint16 slashBps,
        uint16 challengerRewardBps,
        address treasury
    );

    error ZeroAddress();
    error ZeroAmount();
    error InvalidParameter(string name);
    error InsufficientFreeBalance(uint256 free, uint256 needed);
    error NotSequencer(address caller);
    error RequestExpired(uint256 expiry);
    error ZeroMaxPrice();
    error InvalidBuyerSignature(address buyer);
    error NonceAlreadyUsed(address buyer, uint256 nonce);
    error NoShards();
    error TooManyShards(uint256 count, uint256 max);
    error InvalidLayerRange(uint256 shardIndex);
    error NotActiveProvider(address provider);
    error NotActiveVerifier(address verifier);
    error VerifierIsProvider(address verifier);
    error UnknownJob(bytes32 jobId);
    error JobNotOpen(bytes32 jobId, JobStatus status);
    error ShardIndexOutOfRange(uint256 shardIndex, uint256 shardCount);
    error NotShardProvider(address caller, address provider);
    error AlreadyCommitted(bytes32 jobId, uint256 shardIndex);
    error CommitDeadlinePassed(uint256 deadline);
    error ZeroRoot();
    error InvalidWorkUnits(uint256 workUnits);
    error ChallengeWindowOpen(uint256 endsAt);
    error ChallengeWindowClosed(uint256 endedAt);
    error ShardNotCommitted(bytes32 jobId, uint256 shardIndex);
    error QuorumNotReached(uint256 signatures, uint256 quorum);
    error TooManySignatures(uint256 count, uint256 max);
    error SignersNotAscending(address signer);
    error AccusedCannotSign(address provider);
    error JobAlreadyExists(bytes32 jobId);
    error ZeroSessionId();
    error InvalidSessionSignature(address buyer);
    error SessionIsRevoked(address buyer, bytes32 sessionId);
    error SessionExpired(bytes32 sessionId, uint256 expiry);
    error SessionCapExceeded(uint256 spent, uint256 maxPrice, uint256 cap);

    constructor(
        IERC20 token_,
        ProviderRegistry registry_,
        RewardDistributor distributor_,
        address admin,
        MarketParams memory params_
    ) EIP712("Layerproof JobMarket", "1") {
        if (
            address(token_) == address(0) || address(registry_) == address(0) || address(distributor_) == address(0)
                || admin == address(0)
        ) revert ZeroAddress();
        token = token_;
        registry = registry_;
        distributor = distributor_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setParams(params_);
        // The distributor pulls what finalize/resolveFraud pay out (RewardDistributor.fund).
        token_.forceApprove(address(distributor_), type(uint256).max);
    }

    // ---------------------------------------------------------------- escrow

    function deposit(uint256 amount) external nonReentrant {
        _deposit(amount);
    }

    /// @notice Deposit with an EIP-2612 permit instead of a prior approve. The permit is tried and
    /// its failure ignored (someone may have front-run it); the transfer then needs the allowance.
    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external nonReentrant {
        try IERC20Permit(address(token)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _deposit(amount);
    }

    /// @notice Takes back up to the free balance (not locked by open jobs).
    function withdraw(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Escrow storage e = _escrows[msg.sender];
        uint256 free = e.balance - e.locked;
        if (amount > free) revert InsufficientFreeBalance(free, amount);
        uint256 balance = e.balance - amount;
        e.balance = balance;
        token.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount, balance);
    }

    /// @notice Voids a signed request the buyer no longer wants opened.
    function cancelNonce(uint256 nonce) external {
        if (nonceUsed[msg.sender][nonce]) revert NonceAlreadyUsed(msg.sender, nonce);
        nonceUsed[msg.sender][nonce] = true;
        emit NonceCancelled(msg.sender, nonce);
    }

    // ---------------------------------------------------------------- jobs

    /// @notice Opens the job `buyer` signed, locking req.maxPrice of the buyer's escrow. Called by
    /// an active SEQUENCER with its shard placement and the verifier it assigns.
    /// @return jobId the EIP-712 digest of the request.
    function openJob(
        address buyer,
        JobRequest calldata req,
        bytes calldata signature,
        ShardAssignment[] calldata assignment,
        address verifier
    ) external returns (bytes32 jobId) {
        _requireSequencer();
        jobId = hashJobRequest(req);
        if (!_signedBy(buyer, jobId, signature)) revert InvalidBuyerSignature(buyer);
        _openJob(jobId, buyer, req, assignment, verifier);
    }

    /// @notice Opens a job for `buyer` under a session grant instead of a signature over the
    /// request. Trust model: a valid grant lets ANY active sequencer open jobs for the buyer, with
    /// requests and placements of the sequencer's choosing, until grant.expiry (valid while
    /// block.timestamp < expiry) or until the buyer revokes the session (revokeSession /
    /// revokeSessionWithSig), and only up to grant.spendingCap in total: the sum of the maxPrice of
    /// every job opened under the same (buyer, sessionId) never exceeds the cap. That sum counts
    /// the locked maxPrice, not the final cost, and is never refunded. The cap therefore bounds
    /// what one sessionId can lock, which is why sessionIds must be fresh random values: grants
    /// that reuse a sessionId share one spent counter, but each may bring its own cap and expiry.
    /// Everything else is openJob's: request expiry, maxPrice > 0, the request nonce used once
    /// (the same nonces as openJob and cancelNonce), the buyer's free escrow, shards, verifier.
    /// @return jobId the EIP-712 digest of the request, as for openJob.
    function openJobWithSession(
        address buyer,
        SessionGrant calldata grant,
        bytes calldata grantSignature,
        JobRequest calldata req,
        ShardAssignment[] calldata assignment,
        address verifier
    ) external returns (bytes32 jobId) {
        _requireSequencer();
        uint256 spent = _chargeSession(buyer, grant, grantSignature, req.maxPrice);
        jobId = hashJobRequest(req);
        _openJob(jobId, buyer, req, assignment, verifier);
        emit SessionCharged(jobId, buyer, grant.sessionId, req.maxPrice, spent);
    }

    /// @notice Ends the caller's session `sessionId` for good: no job can be opened under it any
    /// more (jobs already open run to the end). Idempotent; SessionRevoked is emitted once, on the
    /// first revocation. A sessionId may be revoked before any job used it.
    function revokeSession(bytes32 sessionId) external {
        _revokeSession(msg.sender, sessionId);
    }

    /// @notice revokeSession on the buyer's EIP-712 RevokeSession signature, submitted by anyone
    /// (e.g. the gateway, so the buyer needs no gas). Replaying the signature is harmless: a
    /// revocation cannot be undone. `nonce` is the wallet's own counter, not consumed on chain.
    function revokeSessionWithSig(address buyer, bytes32 sessionId, uint256 nonce, bytes calldata signature)
        external
    {
        if (!_signedBy(buyer, hashRevokeSession(sessionId, nonce), signature)) {
            revert InvalidSessionSignature(buyer);
        }
        _revokeSession(buyer, sessionId);
    }

    /// @notice The shard's provider commits to the Merkle root of its layer activations and
    /// declares its work units (layers x tokens). Once per shard, before the commit deadline.
    function postCommitment(bytes32 jobId, uint256 shardIndex, bytes32 root, uint256 workUnits) external {
        Job storage job = _openJobOf(jobId);
        if (shardIndex >= job.shardCount) revert ShardIndexOutOfRange(shardIndex, job.shardCount);
        Shard storage s = _shards[jobId][shardIndex];
        if (msg.sender != s.provider) revert NotShardProvider(msg.sender, s.provider);
        if (s.root != bytes32(0)) revert AlreadyCommitted(jobId, shardIndex);
        if (block.timestamp > job.commitDeadline) revert CommitDeadlinePassed(job.commitDeadline);
        if (root == bytes32(0)) revert ZeroRoot();
        if (workUnits == 0 || workUnits > type(uint64).max) revert InvalidWorkUnits(workUnits);
        s.root = root;
        s.workUnits = uint64(workUnits);
        job.totalWorkUnits += workUnits;
        job.committedCount += 1;
        job.lastCommitAt = uint40(block.timestamp);
        emit CommitmentPosted(jobId, shardIndex, msg.sender, root, workUnits);
    }

    /// @notice Settles a job whose challenge window has passed without proven fraud. Anyone may call.
    /// cost = min(maxPrice, unitPrice * totalWorkUnits); the verifier gets verifierFeeBps of it,
    /// the providers the rest pro rata to their work units (rounded down, the last committed shard
    /// takes the rounding dust); maxPrice - cost returns to the buyer's free balance.
    function finalize(bytes32 jobId) external nonReentrant {
        Job storage job = _openJobOf(jobId);
        uint256 endsAt = _challengeEnd(job);
        if (block.timestamp < endsAt) revert ChallengeWindowOpen(endsAt);
        job.status = JobStatus.Finalized;

        uint256 maxPrice = job.maxPrice;
        uint256 total = job.totalWorkUnits;
        // unitPrice <= 2^128 and total <= 16 * 2^64, so the product cannot overflow.
        uint256 cost = Math.min(maxPrice, job.unitPrice * total);
        uint256 fee = Math.mulDiv(cost, job.verifierFeeBps, BPS);
        Escrow storage e = _escrows[job.buyer];
        e.locked -= maxPrice;
        e.balance -= cost;
        if (cost != 0) {
            distributor.fund(cost);
            if (fee != 0) emit Payout(jobId, job.verifier, fee, PayoutKind.Verifier);
            _payProviders(jobId, job.shardCount, cost - fee, total);
        }
        emit JobFinalized(jobId, cost, fee, maxPrice - cost, total);
    }

    /// @notice Proves fraud in a committed shard during the challenge window with EIP-712
    /// FraudVerdict signatures of at least `quorum` distinct active verifiers (signers in
    /// strictly ascending address order, the accused excluded). Slashes slashBps of the
    /// provider's bonded stake, pays challengerRewardBps of it to the signers in equal parts
    /// (the indivisible dust goes to the treasury with the rest), refunds the buyer in full and
    /// closes the job for good.
    function resolveFraud(bytes32 jobId, uint256 shardIndex, bytes32 evidenceHash, bytes[] calldata verdictSignatures)
        external
        nonReentrant
    {
        Job storage job = _openJobOf(jobId);
        if (shardIndex >= job.shardCount) revert ShardIndexOutOfRange(shardIndex, job.shardCount);
        Shard storage s = _shards[jobId][shardIndex];
        if (s.root == bytes32(0)) revert ShardNotCommitted(jobId, shardIndex);
        uint256 endsAt = _challengeEnd(job);
        if (block.timestamp >= endsAt) revert ChallengeWindowClosed(endsAt);
        address provider = s.provider;
        address[] memory signers =
            _verdictSigners(hashFraudVerdict(jobId, shardIndex, evidenceHash), provider, verdictSignatures);

        job.status = JobStatus.Fraud;
        uint256 maxPrice = job.maxPrice;
        _escrows[job.buyer].locked -= maxPrice;

        (uint256 slashed, uint256 rewards, uint256 toTreasury) = _slashAndReward(jobId, provider, signers);
        emit FraudProven(jobId, shardIndex, provider, evidenceHash, slashed, rewards, toTreasury, maxPrice);
    }

    // ---------------------------------------------------------------- admin

    function setParams(MarketParams calldata params_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setParams(params_);
    }

    // ---------------------------------------------------------------- views

    function params() external view returns (MarketParams memory) {
        return _params;
    }

    function escrowOf(address buyer) external view returns (uint256 balance, uint256 locked) {
        Escrow storage e = _escrows[buyer];
        return (e.balance, e.locked);
    }

    function freeBalanceOf(address buyer) external view returns (uint256) {
        Escrow storage e = _escrows[buyer];
        return e.balance - e.locked;
    }

    function jobInfo(bytes32 jobId) external view returns (Job memory) {
        return _jobs[jobId];
    }

    function shardInfo(bytes32 jobId, uint256 shardIndex) external view returns (Shard memory) {
        return _shards[jobId][shardIndex];
    }

    /// @notice When the job's challenge window ends (it may still move earlier while shards commit).
    function challengeEndsAt(bytes32 jobId) external view returns (uint256) {
        Job storage job = _jobs[jobId];
        if (job.status == JobStatus.None) revert UnknownJob(jobId);
        return _challengeEnd(job);
    }

    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice The EIP-712 digest of a request, which is also its jobId.
    function hashJobRequest(JobRequest calldata req) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(JOB_REQUEST_TYPEHASH, req)));
    }

    /// @notice The EIP-712 digest of a session grant, what the buyer signs to open a session.
    function hashSessionGrant(SessionGrant calldata grant) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(SESSION_GRANT_TYPEHASH, grant)));
    }

    /// @notice The EIP-712 digest of a session revocation, what revokeSessionWithSig checks.
    function hashRevokeSession(bytes32 sessionId, uint256 nonce) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(REVOKE_SESSION_TYPEHASH, sessionId, nonce)));
    }

    function hashFraudVerdict(bytes32 jobId, uint256 shardIndex, bytes32 evidenceHash) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(FRAUD_VERDICT_TYPEHASH, jobId, shardIndex, evidenceHash)));
    }

    // ---------------------------------------------------------------- internals

    function _deposit(uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        Escrow storage e = _escrows[msg.sender];
        uint256 balance = e.balance + amount;
        e.balance = balance;
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Deposited(msg.sender, amount, balance);
    }

    function _requireSequencer() private view {
        if (!registry.isActiveAs(msg.sender, ROLE_SEQUENCER)) revert NotSequencer(msg.sender);
    }

    /// @dev True when `signature` is a valid ECDSA signature of `digest` by `signer` (an EOA).
    function _signedBy(address signer, bytes32 digest, bytes calldata signature) private pure returns (bool) {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
        return err == ECDSA.RecoverError.NoError && recovered == signer;
    }

    /// @dev Checks the grant and adds maxPrice to the session's spent total, which it returns.
    /// The caller opens the job in the same transaction, so any later revert undoes the charge.
    function _chargeSession(address buyer, SessionGrant calldata grant, bytes calldata signature, uint256 maxPrice)
        private
        returns (uint256 spent)
    {
        if (!_signedBy(buyer, hashSessionGrant(grant), signature)) revert InvalidSessionSignature(buyer);
        bytes32 sessionId = grant.sessionId;
        if (sessionId == bytes32(0)) revert ZeroSessionId();
        if (sessionRevoked[buyer][sessionId]) revert SessionIsRevoked(buyer, sessionId);
        if (block.timestamp >= grant.expiry) revert SessionExpired(sessionId, grant.expiry);
        uint256 before = sessionSpent[buyer][sessionId];
        uint256 cap = grant.spendingCap;
        // Two grants may share a sessionId with different caps, so `before` can exceed this cap.
        if (before > cap || maxPrice > cap - before) revert SessionCapExceeded(before, maxPrice, cap);
        spent = before + maxPrice;
        sessionSpent[buyer][sessionId] = spent;
    }

    function _revokeSession(address buyer, bytes32 sessionId) private {
        if (sessionId == bytes32(0)) revert ZeroSessionId();
        if (sessionRevoked[buyer][sessionId]) return;
        sessionRevoked[buyer][sessionId] = true;
        emit SessionRevoked(buyer, sessionId);
    }

    /// @dev openJob's request checks and effects, shared by openJob and openJobWithSession once
    /// the caller authorized the request (the buyer's signature or a session grant).
    function _openJob(
        bytes32 jobId,
        address buyer,
        JobRequest calldata req,
        ShardAssignment[] calldata assignment,
        address verifier
    ) private {
        if (block.timestamp > req.expiry) revert RequestExpired(req.expiry);
        if (req.maxPrice == 0) revert ZeroMaxPrice();
        if (nonceUsed[buyer][req.nonce]) revert NonceAlreadyUsed(buyer, req.nonce);
        // The jobId does not name the buyer: another buyer's identical request (or one a sequencer
        // builds under a session) must not overwrite a job. Warms the slot written below.
        Job storage job = _jobs[jobId];
        if (job.status != JobStatus.None) revert JobAlreadyExists(jobId);
        Escrow storage e = _escrows[buyer];
        uint256 free = e.balance - e.locked;
        if (free < req.maxPrice) revert InsufficientFreeBalance(free, req.maxPrice);

        nonceUsed[buyer][req.nonce] = true;
        e.locked += req.maxPrice;
        _assignShards(jobId, assignment, verifier);

        job.buyer = buyer;
        job.commitDeadline = uint40(block.timestamp + _params.commitWindow);
        job.challengeWindow = _params.challengeWindow;
        job.status = JobStatus.Open;
        job.shardCount = uint8(assignment.length);
        job.verifier = verifier;
        job.verifierFeeBps = _params.verifierFeeBps;
        job.maxPrice = req.maxPrice;
        job.unitPrice = _params.unitPrice;
        _emitOpened(jobId, buyer, verifier, req);
    }

    function _assignShards(bytes32 jobId, ShardAssignment[] calldata assignment, address verifier) private {
        uint256 count = assignment.length;
        if (count == 0) revert NoShards();
        if (count > MAX_SHARDS) revert TooManyShards(count, MAX_SHARDS);
        if (!registry.isActiveAs(verifier, ROLE_VERIFIER)) revert NotActiveVerifier(verifier);
        uint16 nextLayer = 0;
        for (uint256 i; i < count; ++i) {
            ShardAssignment calldata a = assignment[i];
            if (a.startLayer != nextLayer || a.endLayer <= a.startLayer) revert InvalidLayerRange(i);
            if (a.provider == verifier) revert VerifierIsProvider(verifier);
            if (!registry.isActiveAs(a.provider, ROLE_PROVIDER)) revert NotActiveProvider(a.provider);
            nextLayer = a.endLayer;
            Shard storage s = _shards[jobId][i];
            s.provider = a.provider;
            s.startLayer = a.startLayer;
            s.endLayer = a.endLayer;
            emit ShardAssigned(jobId, i, a.provider, a.startLayer, a.endLayer);
        }
    }

    function _emitOpened(bytes32 jobId, address buyer, address verifier, JobRequest calldata req) private {
        emit JobOpened(
            jobId,
            buyer,
            verifier,
            msg.sender,
            req.model,
            req.messagesHash,
            req.maxTokens,
            req.maxPrice,
            req.nonce,
            req.expiry
        );
    }

    function _payProviders(bytes32 jobId, uint256 shardCount, uint256 pool, uint256 total) private {
        uint256 paid;
        uint256 unitsLeft = total;
        for (uint256 i; i < shardCount; ++i) {
            Shard storage s = _shards[jobId][i];
            uint256 units = s.workUnits;
            if (units == 0) continue;
            unitsLeft -= units;
            // The last shard with work takes the rounding dust, so the payouts sum to pool exactly.
            uint256 amount = unitsLeft == 0 ? pool - paid : Math.mulDiv(pool, units, total);
            paid += amount;
            if (amount != 0) emit Payout(jobId, s.provider, amount, PayoutKind.Provider);
        }
    }

    function _verdictSigners(bytes32 digest, address accused, bytes[] calldata signatures)
        private
        view
        returns (address[] memory signers)
    {
        uint256 n = signatures.length;
        uint256 quorum = _params.quorum;
        if (n < quorum) revert QuorumNotReached(n, quorum);
        if (n > MAX_VERDICT_SIGNERS) revert TooManySignatures(n, MAX_VERDICT_SIGNERS);
        signers = new address[](n);
        address previous = address(0);
        for (uint256 i; i < n; ++i) {
            address signer = ECDSA.recover(digest, signatures[i]);
            // Ascending order makes "distinct" a single comparison.
            if (signer <= previous) revert SignersNotAscending(signer);
            if (signer == accused) revert AccusedCannotSign(accused);
            if (!registry.isActiveAs(signer, ROLE_VERIFIER)) revert NotActiveVerifier(signer);
            signers[i] = signer;
            previous = signer;
        }
    }

    function _slashAndReward(bytes32 jobId, address provider, address[] memory signers)
        private
        returns (uint256 slashed, uint256 rewards, uint256 toTreasury)
    {
        // Unbonding stake is still bonded: a provider cannot dodge the slash by starting to unbond.
        (uint256 stake, uint256 unbonding) = registry.bondOf(provider);
        slashed = registry.slash(provider, Math.mulDiv(stake + unbonding, _params.slashBps, BPS));
        uint256 n = signers.length;
        uint256 each = Math.mulDiv(slashed, _params.challengerRewardBps, BPS) / n;
        rewards = each * n;
        toTreasury = slashed - rewards;
        if (rewards != 0) {
            distributor.fund(rewards);
            for (uint256 i; i < n; ++i) {
                emit Payout(jobId, signers[i], each, PayoutKind.Challenger);
            }
        }
        if (toTreasury != 0) token.safeTransfer(_params.treasury, toTreasury);
    }

    function _openJobOf(bytes32 jobId) private view returns (Job storage job) {
        job = _jobs[jobId];
        if (job.status != JobStatus.Open) {
            if (job.status == JobStatus.None) revert UnknownJob(jobId);
            revert JobNotOpen(jobId, job.status);
        }
    }

    /// @dev The window starts at the last commitment once every shard committed, otherwise at the
    /// commit deadline (a missing shard then earns nothing).
    function _challengeEnd(Job storage job) private view returns (uint256) {
        uint256 start = job.committedCount == job.shardCount ? job.lastCommitAt : job.commitDeadline;
        return start + job.challengeWindow;
    }

    function _setParams(MarketParams memory p) private {
        if (p.unitPrice == 0 || p.unitPrice > MAX_UNIT_PRICE) revert InvalidParameter("unitPrice");
        if (p.verifierFeeBps > MAX_VERIFIER_FEE_BPS) revert InvalidParameter("verifierFeeBps");
        if (p.commitWindow < MIN_WINDOW || p.commitWindow > MAX_COMMIT_WINDOW) revert InvalidParameter("commitWindow");
        if (p.challengeWindow < MIN_WINDOW || p.challengeWindow > MAX_CHALLENGE_WINDOW) {
            revert InvalidParameter("challengeWindow");
        }
        if (p.quorum == 0 || p.quorum > MAX_VERDICT_SIGNERS) revert InvalidParameter("quorum");
        if (p.slashBps == 0 || p.slashBps > BPS) revert InvalidParameter("slashBps");
        if (p.challengerRewardBps > BPS) revert InvalidParameter("challengerRewardBps");
        if (p.treasury == address(0)) revert InvalidParameter("treasury");
        _params = p;
        emit ParamsUpdated(
            p.unitPrice,
            p.verifierFeeBps,
            p.commitWindow,
            p.challengeWindow,
            p.quorum,
            p.slashBps,
            p.challengerRewardBps,
            p.treasury
        );
    }
}
