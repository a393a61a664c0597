// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title RewardDistributor
/// @notice Pays providers, verifiers and challengers in batches. The JobMarket funds it and emits
/// one Payout event per payee; once per epoch the settlement module posts a Merkle root over every
/// account's cumulative earnings, and each account claims the difference to what it already got.
/// Leaves are OpenZeppelin StandardMerkleTree leaves:
/// keccak256(bytes.concat(keccak256(abi.encode(account, cumulative)))).
/// @dev Accounting invariant (to the wei): token.balanceOf(this) >= totalFunded - sum(claimed),
/// with equality unless tokens were sent here directly; the current root never commits to more
/// than totalFunded (rootTotal <= totalFunded), and claimed[a] only grows up to a's cumulative.
contract RewardDistributor is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");
    bytes32 public constant FUNDER_ROLE = keccak256("FUNDER_ROLE");

    IERC20 public immutable token;

    bytes32 public currentRoot;
    uint64 public currentEpoch;
    /// @notice Sum of all cumulative balances in the current root, as declared by the settler.
    uint256 public rootTotal;
    uint256 public totalFunded;
    mapping(address => uint256) public claimed;

    event Funded(address indexed funder, uint256 amount, uint256 totalFunded);
    event EpochRootPosted(uint64 indexed epoch, bytes32 root, uint256 totalCumulative);
    event Claimed(address indexed account, uint256 amount, uint256 cumulative);

    error ZeroAmount();
    error ZeroRoot();
    error ZeroAddress();
    error EpochNotIncreasing(uint64 epoch, uint64 currentEpoch);
    error TotalDecreased(uint256 totalCumulative, uint256 previousTotal);
    error TotalExceedsFunding(uint256 totalCumulative, uint256 totalFunded);
    error NoRootPosted();
    error InvalidProof();
    error NothingToClaim(address account, uint256 cumulative, uint256 alreadyClaimed);

    /// @param admin receives DEFAULT_ADMIN_ROLE and SETTLER_ROLE.
    constructor(IERC20 token_, address admin) {
        if (address(token_) == address(0) || admin == address(0)) revert ZeroAddress();
        token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(SETTLER_ROLE, admin);
    }

    /// @notice Pulls `amount` from the funder (the JobMarket) to back future claims.
    function fund(uint256 amount) external onlyRole(FUNDER_ROLE) {
        if (amount == 0) revert ZeroAmount();
        uint256 total = totalFunded + amount;
        totalFunded = total;
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Funded(msg.sender, amount, total);
    }

    /// @notice Publishes the root of cumulative balances for `epoch` (strictly increasing).
    /// `totalCumulative` is the sum of the tree's balances; it may not shrink, nor exceed what was funded.
    function postRoot(uint64 epoch, bytes32 root, uint256 totalCumulative) external onlyRole(SETTLER_ROLE) {
        if (root == bytes32(0)) revert ZeroRoot();
        if (currentRoot != bytes32(0) && epoch <= currentEpoch) revert EpochNotIncreasing(epoch, currentEpoch);
        if (totalCumulative < rootTotal) revert TotalDecreased(totalCumulative, rootTotal);
        if (totalCumulative > totalFunded) revert TotalExceedsFunding(totalCumulative, totalFunded);
        currentRoot = root;
        currentEpoch = epoch;
        rootTotal = totalCumulative;
        emit EpochRootPosted(epoch, root, totalCumulative);
    }

    /// @notice Pays `account` its `cumulative` earnings minus what it already claimed. Anyone may
    /// submit the proof; the tokens always go to `account`.
    function claim(address account, uint256 cumulative, bytes32[] calldata proof) external nonReentrant {
        bytes32 root = currentRoot;
        if (root == bytes32(0)) revert NoRootPosted();
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulative))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert InvalidProof();
        uint256 already = claimed[account];
        if (cumulative <= already) revert NothingToClaim(account, cumulative, already);
        claimed[account] = cumulative;
        uint256 amount = cumulative - already;
        token.safeTransfer(account, amount);
        emit Claimed(account, amount, cumulative);
    }
}
