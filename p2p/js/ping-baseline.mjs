#!/usr/bin/env node
// The js-js ping baseline for the p2p benchmarks: two js-libp2p nodes (built as peer.mjs builds
// them) in one process, connected over TCP on 127.0.0.1, then N pings (default 200) from one to
// the other after a few warm-up pings. Each sample is the wall-clock time of one
// libp2p.services.ping.ping() call (performance.now(), fractional ms); js-libp2p's ping opens a
// new stream per call, so a sample includes the stream's multistream-select negotiation.
//
// Usage: node p2p/js/ping-baseline.mjs [--n 200] [--warmup 10]
// Prints one JSON line: {"medianMs":..,"p99Ms":..,"n":..,"minMs":..,"maxMs":..,"meanMs":..}

import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'

import { createPeer } from './peer.mjs'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '10' }
  }
})
const n = Number(values.n)
const warmup = Number(values.warmup)
if (!Number.isInteger(n) || n < 1) throw new Error(`--n must be a positive integer: ${values.n}`)

/** Nearest-rank percentile of sorted samples. */
function percentile (sorted, p) {
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

const a = await createPeer()
const b = await createPeer()
await a.start()
await b.start()
try {
  await a.dial(b.getMultiaddrs()[0])
  for (let i = 0; i < warmup; i++) await a.services.ping.ping(b.peerId)
  const samples = []
  for (let i = 0; i < n; i++) {
    const started = performance.now()
    await a.services.ping.ping(b.peerId)
    samples.push(performance.now() - started)
  }
  samples.sort((x, y) => x - y)
  const round = (x) => Math.round(x * 1000) / 1000
  process.stdout.write(JSON.stringify({
    medianMs: round(percentile(samples, 50)),
    p99Ms: round(percentile(samples, 99)),
    n,
    minMs: round(samples[0]),
    maxMs: round(samples[samples.length - 1]),
    meanMs: round(samples.reduce((s, x) => s + x, 0) / n)
  }) + '\n')
} finally {
  await a.stop()
  await b.stop()
}
