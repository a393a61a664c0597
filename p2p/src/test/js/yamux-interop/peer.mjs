// A js yamux server on a loopback TCP port (printed as "PORT <n>"). It echoes every stream the
// Java side opens, then opens its own stream, sends 1 MiB and checks the echo, pings, and prints
// "JS_OK ..." (or "JS_FAIL ...") before waiting for the Java side to close the connection.
import net from 'node:net'
import { randomBytes } from 'node:crypto'
import { yamux } from '@chainsafe/libp2p-yamux'
import { defaultLogger } from '@libp2p/logger'
import { pipe } from 'it-pipe'
import { duplex } from 'stream-to-it'

const server = net.createServer(async socket => {
  const muxer = yamux()({ logger: defaultLogger() }).createStreamMuxer({
    direction: 'inbound',
    onIncomingStream: stream => { pipe(stream, stream).catch(() => {}) }
  })
  const conn = duplex(socket)
  // The muxer yields Uint8ArrayLists; a socket takes plain bytes.
  const flat = async function * (source) { for await (const chunk of source) yield chunk.subarray() }
  pipe(conn, muxer, flat, conn).then(
    () => { console.log('JS_CLOSED'); server.close() },
    err => { console.log('JS_CLOSED ' + err.message); server.close() })
  try {
    const stream = await muxer.newStream()
    const data = randomBytes(1024 * 1024)
    const echoed = (async () => {
      const chunks = []
      for await (const chunk of stream.source) chunks.push(Buffer.from(chunk.subarray()))
      return Buffer.concat(chunks)
    })()
    await stream.sink([data])
    const back = await echoed
    if (!back.equals(data)) throw new Error(`echo mismatch: ${back.length} bytes back`)
    const rtt = await muxer.ping()
    console.log(`JS_OK echo=${back.length} rtt=${rtt}`)
  } catch (err) {
    console.log('JS_FAIL ' + err.stack)
  }
})
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port))
