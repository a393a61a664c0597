#!/usr/bin/env node
// A scriptable js-libp2p peer for the p2p module's interop tests (driven by JsPeer.java).
//
// Usage:
//   node p2p/js/peer.mjs [--host 127.0.0.1] [--port 0] [--key HEX] [--gossip-d N]
//
//   --key       a fixed Ed25519 private key as hex: 32 bytes (the seed) or 64 bytes (seed then
//               public key, libp2p's raw form), so a test knows the peer id in advance.
//               Without it a fresh key is generated.
//   --gossip-d  GossipSub mesh degree D (Dlo, Dhi, Dscore and Dout follow from it).
//
// The node: TCP, Noise, yamux, identify, ping, GossipSub (emitSelf false,
// allowPublishToZeroTopicPeers true, StrictSign) and the request/response protocol below.
//
// Control protocol: newline-delimited JSON.
//   stdout, first line:  {"event":"ready","peerId":"12D3...","addrs":["/ip4/127.0.0.1/tcp/N/p2p/12D3..."]}
//   stdin, one command a line, each with an "id"; the answer carries the same id:
//     {"id":..,"ok":true,...}  or  {"id":..,"ok":false,"error":"..."}
//   commands:
//     {"id":1,"cmd":"dial","addr":"/ip4/../tcp/../p2p/<id>"}    -> peer, remoteAddr
//     {"id":2,"cmd":"ping","peer":"<id>"}                       -> rttMs (library, whole ms),
//                                                                  elapsedMs (wall clock, fractional)
//     {"id":3,"cmd":"identify","peer":"<id>"}                   -> protocols, agentVersion,
//                                                                  protocolVersion, listenAddrs,
//                                                                  observedAddr (runs identify now)
//     {"id":4,"cmd":"subscribe","topic":"t"}
//     {"id":5,"cmd":"unsubscribe","topic":"t"}
//     {"id":6,"cmd":"publish","topic":"t","dataHex":"00ff"}    -> recipients
//     {"id":7,"cmd":"topicPeers","topic":"t"}                   -> subscribers, mesh (peer ids)
//     {"id":8,"cmd":"peers"}                                    -> peers: [{peer, addrs}]
//     {"id":9,"cmd":"request","peer":"<id>","sizeBytes":1024}   -> requestSize, responseSize,
//                                                                  requestSha256, responseSha256, ms
//     {"id":10,"cmd":"stop"}                                    -> answers, stops the node, exits 0
//   unsolicited events on stdout:
//     {"event":"message","topic","from","dataHex","seqno"}   every gossip message received
//                                                            (seqno: decimal string of the u64)
//     {"event":"request","from","size","sha256"}             when serving a request (the request's
//                                                            size and sha256)
//     {"event":"peer:connect","peer"} / {"event":"peer:disconnect","peer"}
//   Diagnostics go to stderr. Closing stdin stops the node too.
//
// ---------------------------------------------------------------------------------------------
// Request/response protocol /layerproof/reqresp/1.0.0 (the wire format the Java side implements)
// ---------------------------------------------------------------------------------------------
//   Each exchange uses a fresh stream, negotiated with multistream-select as
//   "/layerproof/reqresp/1.0.0".
//   frame    = length payload
//   length   = unsigned varint (LEB128: 7 bits a byte, least significant group first, high bit
//              set on every byte but the last; at most 4 bytes since the limit is 16 MiB;
//              minimal encoding)
//   payload  = exactly `length` bytes
//   limit    = 16 MiB (16,777,216 bytes) for a frame's payload; 0 is allowed.
//
//   1. The requester writes ONE frame, then closes its write side (half-close: yamux FIN).
//   2. The responder reads one frame. If the length exceeds 16 MiB, or the varint is malformed,
//      or the stream ends before the frame is complete, it resets the stream (yamux RST) and
//      writes nothing.
//   3. The responder writes ONE response frame, then closes the stream.
//   4. The requester reads one frame (same limit; over it, it resets the stream).
//
//   Response rule of this js peer: the response payload is the request payload with its bytes
//   in reverse order (response[i] = request[n - 1 - i]), so a test can check content both ways.
//
//   Request payload this js peer sends for the "request" command (deterministic, so the other
//   side can check it): byte i = (i * 31 + 7) mod 256, for i = 0 .. sizeBytes-1.
// ---------------------------------------------------------------------------------------------

import { createHash } from 'node:crypto'
import { createInterface } from 'node:readline'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'

import { gossipsub } from '@chainsafe/libp2p-gossipsub'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair, generateKeyPairFromSeed, privateKeyFromRaw } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { peerIdFromString } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { Uint8ArrayList } from 'uint8arraylist'

export const REQRESP_PROTOCOL = '/layerproof/reqresp/1.0.0'
export const MAX_FRAME = 16 * 1024 * 1024

// ---- options -------------------------------------------------------------------------------

/** Builds a libp2p node; shared with ping-baseline.mjs. */
export async function createPeer ({ host = '127.0.0.1', port = 0, keyHex, gossipD } = {}) {
  const privateKey = await privateKeyFromHex(keyHex)
  const gossipOpts = {
    emitSelf: false,
    allowPublishToZeroTopicPeers: true,
    globalSignaturePolicy: 'StrictSign'
  }
  if (gossipD != null) {
    const d = Number(gossipD)
    if (!Number.isInteger(d) || d < 1) throw new Error(`--gossip-d must be a positive integer: ${gossipD}`)
    const dlo = Math.max(1, Math.floor((d * 2) / 3))
    gossipOpts.D = d
    gossipOpts.Dlo = dlo
    gossipOpts.Dhi = 2 * d
    gossipOpts.Dscore = dlo
    gossipOpts.Dout = Math.min(Math.floor(d / 2), dlo - 1)
  }
  return createLibp2p({
    privateKey,
    addresses: { listen: [`/ip4/${host}/tcp/${port}`] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub(gossipOpts)
    }
  })
}

async function privateKeyFromHex (keyHex) {
  if (keyHex == null || keyHex === '') return generateKeyPair('Ed25519')
  const bytes = hexToBytes(keyHex)
  if (bytes.length === 32) return generateKeyPairFromSeed('Ed25519', bytes)
  if (bytes.length === 64) return privateKeyFromRaw(bytes)
  throw new Error(`--key must be 32 or 64 bytes of hex, got ${bytes.length} bytes`)
}

// ---- bytes -----------------------------------------------------------------------------------

function hexToBytes (hex) {
  const clean = hex.startsWith('0x') ? hex.slice(2) : hex
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new Error(`not hex: ${hex}`)
  return Uint8Array.from(Buffer.from(clean, 'hex'))
}

function bytesToHex (bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

function sha256Hex (bytes) {
  return createHash('sha256').update(bytes).digest('hex')
}

/** The deterministic request payload: byte i = (i * 31 + 7) mod 256. */
export function requestPayload (size) {
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i++) out[i] = (i * 31 + 7) & 0xff
  return out
}

function encodeFrame (payload) {
  const header = []
  let n = payload.length
  do {
    let b = n & 0x7f
    n = Math.floor(n / 128)
    if (n > 0) b |= 0x80
    header.push(b)
  } while (n > 0)
  const frame = new Uint8Array(header.length + payload.length)
  frame.set(header, 0)
  frame.set(payload, header.length)
  return frame
}

class FrameError extends Error {}

/**
 * Reads one frame from a stream's source. Throws FrameError if it is over the limit, malformed,
 * or the stream ends first. Bytes after the frame are left unread.
 */
async function readFrame (source, limit = MAX_FRAME) {
  const buf = new Uint8ArrayList()
  let length = -1
  let headerLen = 0
  for await (const chunk of source) {
    buf.append(chunk)
    if (length < 0) {
      const parsed = parseVarint(buf, limit)
      if (parsed == null) continue
      ;[length, headerLen] = parsed
    }
    if (buf.byteLength >= headerLen + length) {
      return buf.subarray(headerLen, headerLen + length)
    }
  }
  if (length < 0) {
    if (buf.byteLength === 0) throw new FrameError('stream ended before a frame')
    throw new FrameError('stream ended inside the length varint')
  }
  if (buf.byteLength >= headerLen + length) return buf.subarray(headerLen, headerLen + length)
  throw new FrameError(`stream ended after ${buf.byteLength - headerLen} of ${length} payload bytes`)
}

/** Returns [value, headerLength], or null when more bytes are needed. */
function parseVarint (buf, limit) {
  let value = 0
  for (let i = 0; i < buf.byteLength; i++) {
    if (i >= 4) throw new FrameError('length varint longer than 4 bytes')
    const b = buf.get(i)
    value += (b & 0x7f) * 2 ** (7 * i)
    if ((b & 0x80) === 0) {
      if (i > 0 && b === 0) throw new FrameError('length varint not minimally encoded')
      if (value > limit) throw new FrameError(`frame of ${value} bytes is over the ${limit}-byte limit`)
      return [value, i + 1]
    }
  }
  return null
}

// ---- request/response ------------------------------------------------------------------------

async function serveRequest (emit, { stream, connection }) {
  const from = connection.remotePeer.toString()
  let request
  try {
    request = await readFrame(stream.source)
  } catch (err) {
    log(`reqresp: resetting a stream from ${from}: ${err.message}`)
    stream.abort(err)
    return
  }
  emit({ event: 'request', from, size: request.length, sha256: sha256Hex(request) })
  const response = Uint8Array.from(request).reverse()
  try {
    await stream.sink([encodeFrame(response)])
    await stream.close()
  } catch (err) {
    log(`reqresp: failed to answer ${from}: ${err.message}`)
    stream.abort(err)
  }
}

async function sendRequest (node, peer, sizeBytes) {
  if (!Number.isInteger(sizeBytes) || sizeBytes < 0 || sizeBytes > MAX_FRAME) {
    throw new Error(`sizeBytes must be an integer in 0..${MAX_FRAME}`)
  }
  const payload = requestPayload(sizeBytes)
  const started = performance.now()
  const stream = await node.dialProtocol(peerIdFromString(peer), REQRESP_PROTOCOL)
  try {
    await stream.sink([encodeFrame(payload)]) // ending the source closes our write side
    const response = await readFrame(stream.source)
    const ms = performance.now() - started
    await stream.close()
    return {
      requestSize: payload.length,
      responseSize: response.length,
      requestSha256: sha256Hex(payload),
      responseSha256: sha256Hex(response),
      ms
    }
  } catch (err) {
    stream.abort(err)
    throw err
  }
}

// ---- commands --------------------------------------------------------------------------------

function connectionTo (node, peer) {
  const conns = node.getConnections(peerIdFromString(peer)).filter((c) => c.status === 'open')
  if (conns.length === 0) throw new Error(`not connected to ${peer}`)
  return conns[0]
}

async function runCommand (node, msg) {
  const pubsub = node.services.pubsub
  switch (msg.cmd) {
    case 'dial': {
      const conn = await node.dial(multiaddr(msg.addr))
      return { peer: conn.remotePeer.toString(), remoteAddr: conn.remoteAddr.toString() }
    }
    case 'ping': {
      const started = performance.now()
      const rttMs = await node.services.ping.ping(peerIdFromString(msg.peer))
      return { rttMs, elapsedMs: performance.now() - started }
    }
    case 'identify': {
      const result = await node.services.identify.identify(connectionTo(node, msg.peer))
      return {
        peer: result.peerId.toString(),
        protocols: result.protocols,
        agentVersion: result.agentVersion ?? null,
        protocolVersion: result.protocolVersion ?? null,
        listenAddrs: result.listenAddrs.map((a) => a.toString()),
        observedAddr: result.observedAddr?.toString() ?? null
      }
    }
    case 'subscribe':
      pubsub.subscribe(msg.topic)
      return {}
    case 'unsubscribe':
      pubsub.unsubscribe(msg.topic)
      return {}
    case 'publish': {
      const result = await pubsub.publish(msg.topic, hexToBytes(msg.dataHex ?? ''))
      return { recipients: result.recipients.map((p) => p.toString()) }
    }
    case 'topicPeers':
      return {
        subscribers: pubsub.getSubscribers(msg.topic).map((p) => p.toString()),
        mesh: pubsub.getMeshPeers(msg.topic)
      }
    case 'peers':
      return {
        peers: node.getPeers().map((p) => ({
          peer: p.toString(),
          addrs: node.getConnections(p).map((c) => c.remoteAddr.toString())
        }))
      }
    case 'request':
      return sendRequest(node, msg.peer, msg.sizeBytes)
    default:
      throw new Error(`unknown command: ${msg.cmd}`)
  }
}

// ---- main ------------------------------------------------------------------------------------

function log (line) {
  process.stderr.write(`[peer.mjs ${new Date().toISOString()}] ${line}\n`)
}

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

async function main () {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      key: { type: 'string' },
      'gossip-d': { type: 'string' }
    }
  })
  const node = await createPeer({
    host: values.host,
    port: Number(values.port),
    keyHex: values.key,
    gossipD: values['gossip-d']
  })

  node.addEventListener('peer:connect', (e) => emit({ event: 'peer:connect', peer: e.detail.toString() }))
  node.addEventListener('peer:disconnect', (e) => emit({ event: 'peer:disconnect', peer: e.detail.toString() }))
  node.services.pubsub.addEventListener('message', (e) => {
    const m = e.detail
    emit({
      event: 'message',
      topic: m.topic,
      from: m.type === 'signed' ? m.from.toString() : null,
      dataHex: bytesToHex(m.data),
      seqno: m.type === 'signed' ? m.sequenceNumber.toString() : null
    })
  })
  await node.handle(REQRESP_PROTOCOL, (data) => { serveRequest(emit, data) }, {
    maxInboundStreams: 64
  })

  await node.start()
  emit({
    event: 'ready',
    peerId: node.peerId.toString(),
    addrs: node.getMultiaddrs().map((a) => a.toString())
  })

  let stopping = false
  const stop = async (code) => {
    if (stopping) return
    stopping = true
    try {
      await node.stop()
    } catch (err) {
      log(`stop failed: ${err.stack ?? err}`)
    }
    process.exit(code)
  }

  const rl = createInterface({ input: process.stdin, terminal: false })
  rl.on('line', (line) => {
    if (line.trim() === '') return
    let msg
    try {
      msg = JSON.parse(line)
    } catch (err) {
      emit({ id: null, ok: false, error: `bad JSON: ${err.message}` })
      return
    }
    if (msg.cmd === 'stop') {
      emit({ id: msg.id, ok: true })
      stop(0)
      return
    }
    runCommand(node, msg).then(
      (result) => emit({ id: msg.id, ok: true, ...result }),
      (err) => {
        log(`command ${JSON.stringify(msg.cmd)} failed: ${err.stack ?? err}`)
        emit({ id: msg.id, ok: false, error: `${err.name ?? 'Error'}: ${err.message ?? err}` })
      }
    )
  })
  rl.on('close', () => stop(0))
  process.on('SIGTERM', () => stop(0))
  process.on('SIGINT', () => stop(0))
}

process.on('unhandledRejection', (err) => log(`unhandled rejection: ${err?.stack ?? err}`))

// Run only when executed directly, not when imported by ping-baseline.mjs.
if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/peer.mjs')) {
  main().catch((err) => {
    log(`fatal: ${err.stack ?? err}`)
    process.exit(1)
  })
}
