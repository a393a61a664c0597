// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title ProviderRegistry
/// @notice Nodes join the network here: they bond an ERC-20 stake, declare their roles
/// (PROVIDER=1, VERIFIER=2, SEQUENCER=4), a hash of their declared capacity and their Ed25519
/// node key, which links ledger signatures to this on-chain identity.
/// @dev Accounting invariant (to the wei): stakeToken.balanceOf(this) >= sum over nodes of
/// (stake + unbonding), with equality unless tokens were sent here directly. Tokens leave only
/// through {withdraw} (to the node, after the delay) and {slash} (to the slasher).
contract ProviderRegistry is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint8 public constant ROLE_PROVIDER = 1;
    uint8 public constant ROLE_VERIFIER = 2;
    uint8 public constant ROLE_SEQUENCER = 4;
    uint8 public constant ALL_ROLES = 7;
    uint64 public constant MAX_UNBONDING_DELAY = 365 days;

    struct Node {
        uint256 stake; // bonded, counts towards minStake
        uint256 unbonding; // leaving, withdrawable at unbondingReadyAt, still slashable until then
        uint64 unbondingReadyAt;
        uint8 roles;
        bool registered;
        bytes32 capacityHash;
        bytes32 nodeKey;
    }

    IERC20 public immutable stakeToken;
    uint256 public minStake;
    uint64 public unbondingDelay;
    /// @notice The only account allowed to slash (the JobMarket); set once.
    address public slasher;

    mapping(address => Node) private _nodes;
    /// @notice Which account registered an Ed25519 node key; a key identifies exactly one node.
    mapping(bytes32 => address) public nodeOfKey;

    event NodeRegistered(
        address indexed node, uint8 roles, uint256 stake, bytes32 capacityHash, bytes32 indexed nodeKey
    );
    event StakeAdded(address indexed node, uint256 amount, uint256 stake);
    event CapacityUpdated(address indexed node, bytes32 capacityHash);
    event RolesUpdated(address indexed node, uint8 roles);
    event UnbondRequested(address indexed node, uint256 amount, uint256 unbonding, uint64 readyAt);
    event Withdrawn(address indexed node, uint256 amount);
    event Slashed(
        address indexed node, address indexed slasher, uint256 requested, uint256 fromStake, uint256 fromUnbonding
    );
    event SlasherSet(address indexed slasher);
    event MinStakeSet(uint256 minStake);
    event UnbondingDelaySet(uint64 unbondingDelay);

    error AlreadyRegistered(address node);
    error NotRegistered(address node);
    error InvalidRoles(uint8 roles);
    error StakeBelowMinimum(uint256 stake, uint256 minStake);
    error ZeroAmount();
    error ZeroNodeKey();
    error NodeKeyTaken(bytes32 nodeKey, address owner);
    error InsufficientStake(uint256 stake, uint256 requested);
    error NothingToWithdraw();
    error UnbondingNotReady(uint64 readyAt);
    error NotSlasher(address caller);
    error SlasherAlreadySet(address slasher);
    error ZeroAddress();
    error InvalidParameter(string name);

    constructor(IERC20 stakeToken_, address admin, uint256 minStake_, uint64 unbondingDelay_) {
        if (address(stakeToken_) == address(0) || admin == address(0)) revert ZeroAddress();
        stakeToken = stakeToken_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setMinStake(minStake_);
        _setUnbondingDelay(unbondingDelay_);
    }

    // ---------------------------------------------------------------- nodes

    /// @notice Joins with `stake` tokens (pulled from the caller, needs an allowance).
    function register(uint8 roles, uint256 stake, bytes32 capacityHash, bytes32 nodeKey) external nonReentrant {
        Node storage n = _nodes[msg.sender];
        if (n.registered) revert AlreadyRegistered(msg.sender);
        if (roles == 0 || roles > ALL_ROLES) revert InvalidRoles(roles);
        if (stake < minStake) revert StakeBelowMinimum(stake, minStake);
        if (nodeKey == bytes32(0)) revert ZeroNodeKey();
        address owner = nodeOfKey[nodeKey];
        if (owner != address(0)) revert NodeKeyTaken(nodeKey, owner);

        n.registered = true;
        n.roles = roles;
        n.stake = stake;
        n.capacityHash = capacityHash;
        n.nodeKey = nodeKey;
        nodeOfKey[nodeKey] = msg.sender;
        stakeToken.safeTransferFrom(msg.sender, address(this), stake);
        emit NodeRegistered(msg.sender, roles, stake, capacityHash, nodeKey);
    }

    function addStake(uint256 amount) external nonReentrant {
        Node storage n = _registered(msg.sender);
        if (amount == 0) revert ZeroAmount();
        n.stake += amount;
        stakeToken.safeTransferFrom(msg.sender, address(this), amount);
        emit StakeAdded(msg.sender, amount, n.stake);
    }

    function updateCapacity(bytes32 capacityHash) external {
        Node storage n = _registered(msg.sender);
        n.capacityHash = capacityHash;
        emit CapacityUpdated(msg.sender, capacityHash);
    }

    /// @notice Changes the declared roles; 0 steps out of every role so that the whole stake can
    /// be unbonded. Non-zero roles need stake >= minStake.
    function setRoles(uint8 roles) external {
        Node storage n = _registered(msg.sender);
        if (roles > ALL_ROLES) revert InvalidRoles(roles);
        if (roles != 0 && n.stake < minStake) revert StakeBelowMinimum(n.stake, minStake);
        n.roles = roles;
        emit RolesUpdated(msg.sender, roles);
    }

    /// @notice Moves `amount` from stake to unbonding. The whole unbonding amount becomes
    /// withdrawable `unbondingDelay` after the latest request (a new request restarts the clock,
    /// so stake can never leave sooner than one full delay after it stopped backing work).
    function requestUnbond(uint256 amount) external {
        Node storage n = _registered(msg.sender);
        if (amount == 0) revert ZeroAmount();
        if (amount > n.stake) revert InsufficientStake(n.stake, amount);
        uint256 remaining = n.stake - amount;
        if (n.roles != 0 && remaining < minStake) revert StakeBelowMinimum(remaining, minStake);
        n.stake = remaining;
        n.unbonding += amount;
        uint64 readyAt = uint64(block.timestamp) + unbondingDelay;
        n.unbondingReadyAt = readyAt;
        emit UnbondRequested(msg.sender, amount, n.unbonding, readyAt);
    }

    /// @notice Pays out the whole unbonding amount once the delay has passed.
    function withdraw() external nonReentrant {
        Node storage n = _registered(msg.sender);
        uint256 amount = n.unbonding;
        if (amount == 0) revert NothingToWithdraw();
        if (block.timestamp < n.unbondingReadyAt) revert UnbondingNotReady(n.unbondingReadyAt);
        n.unbonding = 0;
        stakeToken.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    // ---------------------------------------------------------------- slashing

    /// @notice Takes up to `amount` from the node, first from stake then from unbonding, and
    /// sends it to the slasher. Returns what was actually taken (less when the node has less).
    function slash(address node, uint256 amount) external nonReentrant returns (uint256 slashed) {
        if (msg.sender != slasher) revert NotSlasher(msg.sender);
        Node storage n = _registered(node);
        uint256 fromStake = amount < n.stake ? amount : n.stake;
        uint256 rest = amount - fromStake;
        uint256 fromUnbonding = rest < n.unbonding ? rest : n.unbonding;
        n.stake -= fromStake;
        n.unbonding -= fromUnbonding;
        slashed = fromStake + fromUnbonding;
        if (slashed != 0) stakeToken.safeTransfer(msg.sender, slashed);
        emit Slashed(node, msg.sender, amount, fromStake, fromUnbonding);
    }

    // ---------------------------------------------------------------- admin

    function setSlasher(address slasher_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (slasher != address(0)) revert SlasherAlreadySet(slasher);
        if (slasher_ == address(0)) revert ZeroAddress();
        slasher = slasher_;
        emit SlasherSet(slasher_);
    }

    function setMinStake(uint256 minStake_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMinStake(minStake_);
    }

    function setUnbondingDelay(uint64 delay) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setUnbondingDelay(delay);
    }

    // ---------------------------------------------------------------- views

    function nodeInfo(address node) external view returns (Node memory) {
        return _nodes[node];
    }

    /// @notice Bonded tokens that a slash can still reach.
    function bondOf(address node) external view returns (uint256 stake, uint256 unbonding) {
        Node storage n = _nodes[node];
        return (n.stake, n.unbonding);
    }

    /// @notice Whether the node declared every role bit in `role` (regardless of stake).
    function hasNodeRole(address node, uint8 role) external view returns (bool) {
        Node storage n = _nodes[node];
        return n.registered && role != 0 && n.roles & role == role;
    }

    /// @notice Registered, declares at least one role and has stake >= minStake.
    function isActive(address node) external view returns (bool) {
        Node storage n = _nodes[node];
        return n.registered && n.roles != 0 && n.stake >= minStake;
    }

    /// @notice Active and declares every bit of `role`: the check the market and anchor rely on.
    function isActiveAs(address node, uint8 role) external view returns (bool) {
        Node storage n = _nodes[node];
        return n.registered && role != 0 && n.roles & role == role && n.stake >= minStake;
    }

    // ---------------------------------------------------------------- internals

    function _registered(address node) private view returns (Node storage n) {
        n = _nodes[node];
        if (!n.registered) revert NotRegistered(node);
    }

    function _setMinStake(uint256 minStake_) private {
        if (minStake_ == 0) revert InvalidParameter("minStake");
        minStake = minStake_;
        emit MinStakeSet(minStake_);
    }

    function _setUnbondingDelay(uint64 delay) private {
        if (delay == 0 || delay > MAX_UNBONDING_DELAY) revert InvalidParameter("unbondingDelay");
        unbondingDelay = delay;
        emit UnbondingDelaySet(delay);
    }
}
