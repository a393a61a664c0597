package io.layerproof.node.election;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Keeps {@link PersistedElection} in one small text file, replaced atomically: write a temporary
 * file, fsync it, rename it over the old one, fsync the folder. A crash leaves either the old or
 * the new state, never a torn one; a file that fails its checksum stops the node instead of
 * silently restarting its clock at 0 (which is the EXO fault this store exists to fix).
 */
public final class FileElectionStore implements ElectionStore {
  private static final Pattern LINE =
      Pattern.compile("layerproof-election v1 clock=(\\d+) seniority=(\\d+) crc32=([0-9a-f]{8})\n");

  private final Path file;

  public FileElectionStore(Path file) {
    this.file = file;
  }

  @Override
  public PersistedElection load() {
    if (!Files.exists(file)) {
      return PersistedElection.INITIAL;
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read election state " + file, e);
    }
    Matcher m = LINE.matcher(text);
    if (!m.matches()) {
      throw new IllegalStateException("corrupt election state " + file + ": unexpected format");
    }
    String body = body(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    if (!crc(body).equals(m.group(3))) {
      throw new IllegalStateException("corrupt election state " + file + ": checksum mismatch");
    }
    return new PersistedElection(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
  }

  @Override
  public void save(PersistedElection state) {
    String body = body(state.clock(), state.seniority());
    byte[] bytes = (body + " crc32=" + crc(body) + "\n").getBytes(StandardCharsets.UTF_8);
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(dir);
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true); // makes the rename itself durable
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save election state " + file, e);
    }
  }

  private static String body(long clock, long seniority) {
    return "layerproof-election v1 clock=" + clock + " seniority=" + seniority;
  }

  private static String crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }
}
