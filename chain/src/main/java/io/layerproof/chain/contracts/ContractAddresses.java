package io.layerproof.chain.contracts;

/** Where the five Layerproof contracts live on one chain. */
public record ContractAddresses(
    String token, String registry, String market, String anchor, String distributor) {}
