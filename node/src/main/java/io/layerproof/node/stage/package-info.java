/**
 * Hidden states between a job's driver and the providers' shards over libp2p: {@link StageServer}
 * runs a provider's shard for requests under {@code /layerproof/stage/1.0.0}, {@link
 * RemotePipeline} drives a generation through the stages in layer order.
 */
package io.layerproof.node.stage;
