#!/usr/bin/env node
// Compiles contracts/src/*.sol with the pinned npm solc and writes <Name>.abi / <Name>.bin for
// the deployable contracts. Deterministic: source keys are relative paths and the JSON is
// pretty-printed with a fixed layout, so re-running produces identical bytes. Warnings fail the
// build, like errors, and so does runtime code over EIP-170's 24,576 bytes. Usage: node scripts/compile.mjs [--out <dir>]   (default: artifacts/)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const solc = require('solc');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONTRACTS = ['ComputeToken', 'ProviderRegistry', 'JobMarket', 'LedgerAnchor', 'RewardDistributor'];
// EIP-170: a chain refuses to deploy runtime code larger than this.
const MAX_RUNTIME_BYTES = 24576;

function parseArgs(argv) {
  let out = path.join(root, 'artifacts');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && i + 1 < argv.length) out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument: ${argv[i]} (usage: compile.mjs [--out <dir>])`);
  }
  return { out };
}

function findImport(importPath) {
  // Only package imports (node_modules) are resolved; our own sources are all passed in.
  const candidate = path.join(root, 'node_modules', importPath);
  if (!candidate.startsWith(path.join(root, 'node_modules') + path.sep)) return { error: `outside node_modules: ${importPath}` };
  try {
    return { contents: fs.readFileSync(candidate, 'utf8') };
  } catch {
    return { error: `not found: ${importPath} (run npm ci in contracts/)` };
  }
}

function main() {
  const { out } = parseArgs(process.argv.slice(2));
  const srcDir = path.join(root, 'src');
  const sources = {};
  for (const f of fs.readdirSync(srcDir).filter((f) => f.endsWith('.sol')).sort()) {
    sources[`src/${f}`] = { content: fs.readFileSync(path.join(srcDir, f), 'utf8') };
  }
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      // go-ethereum's Shanghai EVM in the embedded devnet has no MCOPY (Cancun), solc's default emits it.
      evmVersion: 'shanghai',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  // Errors anywhere and warnings in our own sources fail the build. Warnings inside pinned
  // dependencies cannot be fixed here (solc 0.8.37 flags OpenZeppelin 5.4's `error` identifiers
  // as future keywords), so they are only counted.
  const diagnostics = (output.errors || []).filter((e) => e.severity !== 'info');
  const ours = (e) => e.severity === 'error' || !e.sourceLocation || e.sourceLocation.file.startsWith('src/');
  const problems = diagnostics.filter(ours);
  for (const e of problems) console.error(e.formattedMessage || e.message);
  if (problems.length > 0) {
    console.error(`compile failed: ${problems.length} error(s)/warning(s), solc ${solc.version()}`);
    process.exit(1);
  }
  const ignored = diagnostics.length - problems.length;
  if (ignored > 0) console.log(`note: ${ignored} warning(s) inside node_modules dependencies not shown`);

  fs.mkdirSync(out, { recursive: true });
  const sizes = [];
  for (const name of CONTRACTS) {
    const unit = output.contracts[`src/${name}.sol`]?.[name];
    if (!unit) throw new Error(`no output for ${name}`);
    const bin = unit.evm.bytecode.object;
    if (!bin) throw new Error(`${name} has no bytecode (abstract?)`);
    const runtime = unit.evm.deployedBytecode.object.length / 2;
    if (runtime > MAX_RUNTIME_BYTES) {
      console.error(`${name}: runtime code is ${runtime} bytes, over EIP-170's ${MAX_RUNTIME_BYTES}`);
      process.exit(1);
    }
    sizes.push(`${name} ${runtime}`);
    fs.writeFileSync(path.join(out, `${name}.abi`), JSON.stringify(unit.abi, null, 2) + '\n');
    fs.writeFileSync(path.join(out, `${name}.bin`), bin);
  }
  console.log(`compiled ${CONTRACTS.length} contracts with solc ${solc.version()} into ${out}`);
  console.log(`runtime code bytes (EIP-170 limit ${MAX_RUNTIME_BYTES}): ${sizes.join(', ')}`);
}

main();
