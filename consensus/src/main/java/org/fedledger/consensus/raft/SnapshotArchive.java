package org.fedledger.consensus.raft;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Packs a directory tree (an application checkpoint) into one file and back. Ratis' simple snapshot
 * storage and its snapshot transfer deal in single files, and RocksDB checkpoints are directories.
 *
 * <p>Format: the magic line, then per file: name length (2 bytes), UTF-8 relative name, size (8
 * bytes), contents; a name length of 0 ends the archive.
 */
public final class SnapshotArchive {
  private static final byte[] MAGIC = "fedledger-snapshot-v1\n".getBytes(StandardCharsets.UTF_8);

  private SnapshotArchive() {}

  /** Writes dir's files into archive and forces them to disk. */
  public static void pack(Path dir, Path archive) throws IOException {
    List<Path> files;
    try (var walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    try (OutputStream fos = Files.newOutputStream(archive);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(fos, 1 << 16))) {
      out.write(MAGIC);
      for (Path f : files) {
        byte[] name =
            dir.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8);
        out.writeShort(name.length);
        out.write(name);
        out.writeLong(Files.size(f));
        Files.copy(f, out);
      }
      out.writeShort(0);
    }
    fsync(archive);
  }

  /** Recreates the archived files under dir (which must not exist) and forces them to disk. */
  public static void unpack(Path archive, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path root = dir.toAbsolutePath().normalize();
    try (InputStream fis = Files.newInputStream(archive);
        DataInputStream in = new DataInputStream(new BufferedInputStream(fis, 1 << 16))) {
      byte[] magic = in.readNBytes(MAGIC.length);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException(archive + " is not a fedledger snapshot archive");
      }
      while (true) {
        int nameLength = in.readUnsignedShort();
        if (nameLength == 0) {
          break;
        }
        String name = new String(in.readNBytes(nameLength), StandardCharsets.UTF_8);
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
          throw new IOException("snapshot entry escapes its directory: " + name);
        }
        long size = in.readLong();
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
          copy(in, out, size);
        }
        fsync(target);
      }
    } catch (EOFException e) {
      throw new IOException(archive + " is truncated", e);
    }
    fsyncDir(dir);
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buf = new byte[1 << 16];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new EOFException();
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** Makes a rename or file creation in dir durable; a no-op where directories cannot be opened. */
  static void fsyncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open directories; the rename is still atomic there.
    }
  }
}
