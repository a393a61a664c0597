// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// Compiled with npm solc 0.8.37, evmVersion "shanghai", optimizer on (200 runs); the
/// creation bytecode is DevnetProbe.bin, the ABI DevnetProbe.abi.
///
/// Exercises the embedded devnet: events, storage (with refunds), reverts of each kind,
/// self-calls, block values and a constructor that can fail.
contract DevnetProbe {
    event Stored(address indexed by, uint256 indexed key, uint256 value);

    error TooLarge(uint256 value, uint256 max);

    uint256 public constant MAX = 1000;

    mapping(uint256 => uint256) public values;

    constructor(bool fail) {
        require(!fail, "constructor failed");
    }

    function store(uint256 key, uint256 value) external {
        if (value > MAX) revert TooLarge(value, MAX);
        require(value != 13, "unlucky value");
        values[key] = value;
        emit Stored(msg.sender, key, value);
    }

    /// Clearing a slot earns an SSTORE refund.
    function clear(uint256 key) external {
        delete values[key];
    }

    /// Sets a fresh slot, then clears it in a self-call: the 19900 refund exceeds gasUsed / 5,
    /// so London's cap applies. (A plain set-then-delete would be optimised away.)
    function setAndClear(uint256 key) external {
        values[key] = 1;
        this.clear(key);
    }

    /// Calls itself through an external call, so msg.sender is this contract.
    function storeViaSelf(uint256 key, uint256 value) external {
        this.store(key, value);
    }

    function divide(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }

    function blockInfo() external view returns (uint256 number, uint256 time, bytes32 parentHash) {
        return (block.number, block.timestamp, blockhash(block.number - 1));
    }

    receive() external payable {}
}
