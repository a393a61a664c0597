/**
 * The embedded development chain: go-ethereum's EVM (libevm, through JNA) behind the checks,
 * blocks, receipts and JSON-RPC a real node provides.
 *
 * <pre>
 * raw tx ─▶ SignedTxDecoder ─▶ TxRules ─▶ TxExecutor (libevm Evm.Apply) ─▶ BlockAssembler ─▶ ChainStore
 *            (RLP, sender)     (geth's     (gas purchase, nonce, refund,   (tries, bloom,     (RocksDB,
 *                               checks)     fees, logs)                      header hash)       one batch)
 * </pre>
 *
 * <p>{@link io.layerproof.chain.devnet.EmbeddedChain} owns the state (LevelDB or memory) and the
 * chain store and serialises all EVM work; {@link io.layerproof.chain.devnet.RpcDispatcher} maps
 * JSON-RPC onto it and is shared by the in-process Web3j service and {@link
 * io.layerproof.chain.devnet.JsonRpcServer}.
 */
package io.layerproof.chain.devnet;
