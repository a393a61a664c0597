// An independent check of the wallet's formats with ethers.js (a library nobody here wrote).
// The EIP-712 types below are written out from docs/api.md, not taken from the Java code.
// Input: one JSON object on stdin (so a test key never touches argv or logs); output: one JSON
// line on stdout. CONTRACTS_DIR names the folder whose node_modules holds ethers.
//
// mode "typed":    for each case, ethers' digest of the typed data, the signer it recovers from
//                  Java's signature, and its own signature with the given test key. A JobRequest
//                  case gives the model id as text (modelId); ethers hashes it into the bytes32
//                  model member itself (keccak256 of its UTF-8 bytes).
// mode "messages": for each messages JSON text, keccak256 of JSON.stringify with sorted keys.
// mode "keystore": decrypts a Java-written keystore; writes one of its own for Java to read.
"use strict";
const path = require("path");
const fs = require("fs");
const ethers = require(path.join(process.env.CONTRACTS_DIR, "node_modules", "ethers"));

// One domain for every struct, JobMarket's: name "Layerproof JobMarket", version "1".
const TYPES = {
  JobRequest: [
    { name: "model", type: "bytes32" },
    { name: "messagesHash", type: "bytes32" },
    { name: "maxTokens", type: "uint256" },
    { name: "maxPrice", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "expiry", type: "uint256" },
  ],
  SessionGrant: [
    { name: "sessionId", type: "bytes32" },
    { name: "spendingCap", type: "uint256" },
    { name: "expiry", type: "uint64" },
    { name: "nonce", type: "uint256" },
  ],
  RevokeSession: [
    { name: "sessionId", type: "bytes32" },
    { name: "nonce", type: "uint256" },
  ],
};

function canonical(v) {
  if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
  if (v !== null && typeof v === "object") {
    return (
      "{" +
      Object.keys(v)
        .sort()
        .map((k) => JSON.stringify(k) + ":" + canonical(v[k]))
        .join(",") +
      "}"
    );
  }
  return JSON.stringify(v);
}

async function main() {
  const input = JSON.parse(fs.readFileSync(0, "utf8"));
  if (input.mode === "typed") {
    const wallet = new ethers.Wallet(input.privateKey);
    const out = [];
    for (const c of input.cases) {
      const domain = {
        name: "Layerproof JobMarket",
        version: "1",
        chainId: c.chainId,
        verifyingContract: c.verifyingContract,
      };
      const types = { [c.primaryType]: TYPES[c.primaryType] };
      const message = { ...c.message };
      let modelHash = null;
      if (c.modelId !== undefined) {
        modelHash = ethers.keccak256(ethers.toUtf8Bytes(c.modelId));
        message.model = modelHash;
      }
      out.push({
        modelHash,
        digest: ethers.TypedDataEncoder.hash(domain, types, message),
        domainSeparator: ethers.TypedDataEncoder.hashDomain(domain),
        recovered: ethers.verifyTypedData(domain, types, message, c.javaSignature),
        signature: await wallet.signTypedData(domain, types, message),
      });
    }
    console.log(JSON.stringify({ address: wallet.address, results: out }));
  } else if (input.mode === "messages") {
    const out = input.cases.map((text) => {
      const s = canonical(JSON.parse(text));
      return { canonical: s, hash: ethers.keccak256(ethers.toUtf8Bytes(s)) };
    });
    console.log(JSON.stringify({ results: out }));
  } else if (input.mode === "keystore") {
    const javaWritten = await ethers.Wallet.fromEncryptedJson(
      fs.readFileSync(input.javaKeystore, "utf8"),
      input.password
    );
    const own = new ethers.Wallet(input.privateKey);
    fs.writeFileSync(input.ethersKeystore, await own.encrypt(input.password), { mode: 0o600 });
    console.log(JSON.stringify({ javaAddress: javaWritten.address, ethersAddress: own.address }));
  } else {
    throw new Error("unknown mode " + input.mode);
  }
}

main().catch((e) => {
  console.error(e && e.message ? e.message : String(e));
  process.exit(1);
});
