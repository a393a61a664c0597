// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title Layerproof Compute (LPC)
/// @notice The ERC-20 that buyers escrow, providers stake and everybody is paid in. Supports
/// EIP-2612 permit so a buyer can approve and deposit in one transaction.
/// @dev Supply only grows through {mint} by MINTER_ROLE (the devnet faucet); nothing burns, so
/// totalSupply == sum of all mints is an invariant the test-suite checks.
contract ComputeToken is ERC20, ERC20Permit, AccessControl {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @param admin receives DEFAULT_ADMIN_ROLE and MINTER_ROLE.
    constructor(address admin) ERC20("Layerproof Compute", "LPC") ERC20Permit("Layerproof Compute") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
    }

    /// @notice Creates `amount` tokens for `to`. Reverts AccessControlUnauthorizedAccount for non-minters.
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }
}
