/**
 * The libp2p Noise secure channel ({@code /noise}, {@code Noise_XX_25519_ChaChaPoly_SHA256}): the
 * I/O-free {@link io.layerproof.p2p.security.noise.NoiseHandshake}, its Netty handler, and the
 * transport codec that encrypts the connection afterwards.
 */
package io.layerproof.p2p.security.noise;
