package io.layerproof.p2p.pubsub;

/** Counters of one router, for metrics and tests (a snapshot; the router keeps the live values). */
public record GossipStats(
    long delivered,
    long duplicates,
    long invalidSignatures,
    long rejected,
    long ignored,
    long graylistedRpcs,
    long ihaveSent,
    long iwantSent,
    long messagesServedByIWant,
    long grafts,
    long prunes,
    long brokenPromises) {}
