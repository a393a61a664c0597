// Drives the devnet's JSON-RPC with ethers.js, a wallet library nobody here wrote: sends a
// signed ERC-20 transfer, waits for its receipt, and reads the Transfer event back with
// eth_getLogs. Inputs come from the environment (the key never touches argv or logs); the
// result is one JSON line on stdout for the Java test to check.
import { ethers } from "ethers";

const { RPC_URL, PRIVATE_KEY, TOKEN, TO, AMOUNT } = process.env;
for (const [k, v] of Object.entries({ RPC_URL, PRIVATE_KEY, TOKEN, TO, AMOUNT })) {
  if (!v) {
    console.error(`missing ${k}`);
    process.exit(2);
  }
}

const abi = [
  "function transfer(address to, uint256 amount) returns (bool)",
  "function balanceOf(address) view returns (uint256)",
  "event Transfer(address indexed from, address indexed to, uint256 value)",
];

const provider = new ethers.JsonRpcProvider(RPC_URL, undefined, { staticNetwork: true });
const wallet = new ethers.Wallet(PRIVATE_KEY, provider);
const token = new ethers.Contract(TOKEN, abi, wallet);

const network = await provider.getNetwork();
const tx = await token.transfer(TO, BigInt(AMOUNT));
const receipt = await tx.wait();
const events = await token.queryFilter(
  token.filters.Transfer(wallet.address, TO),
  receipt.blockNumber,
  receipt.blockNumber,
);
const balanceTo = await token.balanceOf(TO);

console.log(
  JSON.stringify({
    chainId: network.chainId.toString(),
    from: wallet.address,
    txHash: receipt.hash,
    txType: tx.type,
    status: receipt.status,
    blockNumber: receipt.blockNumber,
    events: events.map((e) => ({
      txHash: e.transactionHash,
      from: e.args.from,
      to: e.args.to,
      value: e.args.value.toString(),
    })),
    balanceTo: balanceTo.toString(),
  }),
);
