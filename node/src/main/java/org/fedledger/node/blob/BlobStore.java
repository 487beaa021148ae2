package org.fedledger.node.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.UUID;
import org.fedledger.core.hash.Hash;

/**
 * Files named by the SHA-256 of their content, under one directory. A write goes to a temporary
 * file, is hashed as it streams, fsynced, then renamed into place, so a crash never leaves a file
 * under a name its content does not hash to. Blobs are immutable: writing the same bytes again is a
 * no-op.
 */
public final class BlobStore {
  private static final int BUFFER = 64 * 1024;

  private final Path dir;
  private final Path tmp;

  public BlobStore(Path dir) {
    this.dir = dir;
    this.tmp = dir.resolve("tmp");
    try {
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the blob directory " + dir, e);
    }
  }

  public Path dir() {
    return dir;
  }

  /** Stores bytes; returns their hash. */
  public Hash put(byte[] bytes) {
    try {
      return put(new java.io.ByteArrayInputStream(bytes), null, "memory");
    } catch (BlobHashMismatchException e) {
      throw new IllegalStateException("unreachable: no expected hash given", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store a blob in " + dir, e);
    }
  }

  /**
   * Streams in a blob, hashing it on the way.
   *
   * @param expected the hash the content must have, or null to accept any content
   * @param source where the bytes come from, for the error message
   * @throws BlobHashMismatchException if expected is given and differs (nothing is kept)
   */
  public Hash put(InputStream in, Hash expected, String source)
      throws IOException, BlobHashMismatchException {
    Path part = tmp.resolve(UUID.randomUUID() + ".part");
    MessageDigest digest = sha256();
    try {
      try (FileChannel ch =
              FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out =
              new DigestOutputStream(java.nio.channels.Channels.newOutputStream(ch), digest)) {
        byte[] buf = new byte[BUFFER];
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
        }
        out.flush();
        ch.force(true);
      }
      Hash actual = Hash.of(digest.digest());
      if (expected != null && !expected.equals(actual)) {
        throw new BlobHashMismatchException(expected, actual, source);
      }
      Path target = path(actual);
      if (!Files.exists(target)) {
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
      }
      return actual;
    } finally {
      Files.deleteIfExists(part);
    }
  }

  public boolean has(Hash hash) {
    return Files.isRegularFile(path(hash));
  }

  /** The blob's bytes as a stream, or empty if this store does not hold it. */
  public Optional<InputStream> open(Hash hash) throws IOException {
    Path p = path(hash);
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    return Optional.of(Files.newInputStream(p));
  }

  /** The whole blob in memory (weights are read whole by safetensors anyway). */
  public Optional<byte[]> read(Hash hash) throws IOException {
    Path p = path(hash);
    return Files.isRegularFile(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
  }

  public long size(Hash hash) throws IOException {
    return Files.size(path(hash));
  }

  public void delete(Hash hash) throws IOException {
    Files.deleteIfExists(path(hash));
  }

  Path path(Hash hash) {
    return dir.resolve(hash.toHex());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
