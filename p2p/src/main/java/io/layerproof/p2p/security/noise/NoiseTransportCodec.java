package io.layerproof.p2p.security.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import io.netty.handler.codec.DecoderException;
import java.security.GeneralSecurityException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Noise transport phase: every frame is a 2-byte big-endian length and a ChaCha20-Poly1305
 * ciphertext (with empty associated data and the cipher state's counting nonce). Writes larger than
 * one frame's plaintext are split; reads pass on each frame's plaintext. A frame that does not
 * decrypt closes the connection: a stream cipher that lost sync cannot recover.
 */
public final class NoiseTransportCodec extends ByteToMessageCodec<ByteBuf> {

  private static final Logger log = LoggerFactory.getLogger(NoiseTransportCodec.class);

  static final int TAG = NoiseCipher.TAG;

  /** Most plaintext one frame carries. */
  public static final int MAX_PLAINTEXT = NoiseHandshake.MAX_MESSAGE - TAG;

  private final NoiseCipher sender;
  private final NoiseCipher receiver;

  NoiseTransportCodec(NoiseHandshake.Ciphers ciphers) {
    super(ByteBuf.class);
    this.sender = ciphers.sender();
    this.receiver = ciphers.receiver();
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf msg, ByteBuf out)
      throws GeneralSecurityException {
    int total = msg.readableBytes();
    out.ensureWritable(total + (total / MAX_PLAINTEXT + 1) * (2 + TAG));
    while (msg.isReadable()) {
      int n = Math.min(msg.readableBytes(), MAX_PLAINTEXT);
      byte[] buf = new byte[n + TAG];
      msg.readBytes(buf, 0, n);
      int length = sender.encrypt(null, buf, 0, n);
      out.writeShort(length);
      out.writeBytes(buf, 0, length);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws GeneralSecurityException {
    while (in.readableBytes() >= 2) {
      int length = in.getUnsignedShort(in.readerIndex());
      if (length < TAG) {
        throw new DecoderException("Noise frame of " + length + " bytes is shorter than its tag");
      }
      if (in.readableBytes() < 2 + length) {
        return;
      }
      in.skipBytes(2);
      byte[] buf = new byte[length];
      in.readBytes(buf);
      int n = receiver.decrypt(null, buf, 0, length);
      if (n > 0) {
        out.add(Unpooled.wrappedBuffer(buf, 0, n)); // decrypted in place: no further copy
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.info("{} closing: Noise transport failed: {}", ctx.channel(), cause.toString());
    ctx.close();
  }
}
