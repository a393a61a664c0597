package io.layerproof.chain.devnet;

/** A mined transaction as stored: its raw bytes (decoded again on read) and its receipt. */
record StoredTx(byte[] raw, TxReceipt receipt) {

  SignedTx decode() {
    return SignedTxDecoder.decode(raw, receipt.from());
  }
}
