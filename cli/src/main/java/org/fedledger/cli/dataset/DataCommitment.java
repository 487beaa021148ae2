package org.fedledger.cli.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.fedledger.core.hash.Hash;
import org.fedledger.learning.data.LabeledData;

/**
 * The commitment a data owner registers: SHA-256 over a canonical encoding of its data, and the
 * sample count. Two encodings:
 *
 * <ul>
 *   <li>a file: SHA-256 of its bytes exactly as stored (an IDX file, e.g. {@code
 *       train-labels-idx1-ubyte}, or a CSV file). Samples: an IDX file's first dimension; a CSV
 *       file's non-empty lines, less a header line if its first field is not a number.
 *   <li>samples in memory (the embedded Fashion-MNIST, or a data directory {@code fedledger dataset
 *       split} wrote): SHA-256 over every feature as a big-endian IEEE-754 float, sample after
 *       sample, then every label as a big-endian int32 — the encoding the node's training agents
 *       commit with.
 * </ul>
 */
public record DataCommitment(Hash hash, long samples) {

  public static DataCommitment ofFile(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such data file");
    }
    MessageDigest sha = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        sha.update(buf, 0, n);
      }
    }
    return new DataCommitment(Hash.of(sha.digest()), countSamples(file));
  }

  public static DataCommitment of(LabeledData d) {
    MessageDigest sha = sha256();
    ByteBuffer b = ByteBuffer.allocate(4);
    for (float x : d.features()) {
      sha.update(b.clear().putFloat(x).array());
    }
    for (int l : d.labels()) {
      sha.update(b.clear().putInt(l).array());
    }
    return new DataCommitment(Hash.of(sha.digest()), d.size());
  }

  static long countSamples(Path file) throws IOException {
    byte[] head = new byte[8];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(head, 0, 8);
    }
    if (read == 8 && head[0] == 0 && head[1] == 0 && head[3] >= 1 && head[3] <= 4) {
      return ByteBuffer.wrap(head, 4, 4).getInt() & 0xffffffffL;
    }
    long lines = 0;
    boolean first = true;
    boolean header = false;
    try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        if (first) {
          String field = line.split(",", 2)[0].trim();
          header = !field.matches("[-+]?[0-9.eE+-]+");
          first = false;
        }
        lines++;
      }
    }
    if (lines == 0) {
      throw new IllegalArgumentException(file + " holds no samples (neither IDX nor CSV rows)");
    }
    return header ? lines - 1 : lines;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
