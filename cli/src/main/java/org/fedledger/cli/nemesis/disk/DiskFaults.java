package org.fedledger.cli.nemesis.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Disk faults for one node: a full disk as one running process sees it, and a damaged file in a
 * stopped node's data directory.
 *
 * <p>The full disk is the process's file-size limit ({@code RLIMIT_FSIZE}, set from outside with
 * util-linux's {@code prlimit}): a write that would grow any file past the limit fails with {@code
 * EFBIG} ("File too large"), as a write to a full disk fails with {@code ENOSPC}, and HotSpot
 * ignores the {@code SIGXFSZ} that comes with it, so the JVM lives on and sees an I/O error. This
 * needs no root, no mount and no namespace, and it hits that one process only, not its peers on the
 * same disk. What it cannot do: refuse writes that stay inside a file's current size (RocksDB and
 * Ratis append, so nearly every write grows a file), or fill the disk for a child process started
 * before the limit (a node starts none).
 */
public final class DiskFaults {
  private DiskFaults() {}

  /** A file changed by a fault, and how. */
  public record Damage(Path file, DataFileKind kind, String how) {}

  /**
   * From now on no file of process pid may grow past bytes; 0 fails every append, as a full disk
   * does. Lowers the soft limit only, so {@link #lift} needs no privilege.
   */
  public static void limitWrites(long pid, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("a write limit is a size in bytes, not " + bytes);
    }
    prlimit(pid, "--fsize=" + bytes + ":");
  }

  /** Lets process pid write again: its file-size limit is unlimited again. */
  public static void lift(long pid) {
    prlimit(pid, "--fsize=unlimited:");
  }

  private static void prlimit(long pid, String limit) {
    List<String> command = List.of("prlimit", "--pid", Long.toString(pid), limit);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed: " + output.strip() + "; is the process alive?");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run prlimit (util-linux); install it or put it on the PATH", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  /**
   * Flips 8 bytes at a random place in one random state file of a stopped node's data directory.
   *
   * @throws IllegalArgumentException if dataDir holds no state file
   */
  public static Damage corruptOneFile(Path dataDir, Random random) {
    return corrupt(pick(dataDir, allFiles(dataDir), random, "any kind"), dataDir, random);
  }

  /** As {@link #corruptOneFile(Path, Random)}, among the files of one kind. */
  public static Damage corruptOneFile(Path dataDir, DataFileKind kind, Random random) {
    return corrupt(pick(dataDir, filesOf(dataDir, kind), random, kind.toString()), dataDir, random);
  }

  /** Cuts one random state file of a stopped node's data directory to a random shorter length. */
  public static Damage truncateOneFile(Path dataDir, Random random) {
    return truncate(pick(dataDir, allFiles(dataDir), random, "any kind"), dataDir, random);
  }

  /** As {@link #truncateOneFile(Path, Random)}, among the files of one kind. */
  public static Damage truncateOneFile(Path dataDir, DataFileKind kind, Random random) {
    return truncate(
        pick(dataDir, filesOf(dataDir, kind), random, kind.toString()), dataDir, random);
  }

  /** The non-empty files of one kind under dataDir, in path order. */
  public static List<Path> filesOf(Path dataDir, DataFileKind kind) {
    return allFiles(dataDir).stream()
        .filter(f -> DataFileKind.of(dataDir, f).orElseThrow() == kind)
        .toList();
  }

  private static List<Path> allFiles(Path dataDir) {
    // A running node's directory may change under the walk (RocksDB deletes an obsolete log or
    // table file): a file gone between listing and reading is walked again, a few times.
    for (int attempt = 1; ; attempt++) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        return files
            .filter(Files::isRegularFile)
            .filter(f -> DataFileKind.of(dataDir, f).isPresent())
            .filter(DiskFaults::nonEmpty)
            .sorted(Comparator.naturalOrder())
            .toList();
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof NoSuchFileException) || attempt == 5) {
          throw new UncheckedIOException("cannot list the data directory " + dataDir, e.getCause());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list the data directory " + dataDir, e);
      }
    }
  }

  private static boolean nonEmpty(Path file) {
    try {
      return Files.size(file) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static Path pick(Path dataDir, List<Path> files, Random random, String what) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          "no non-empty state file of "
              + what
              + " under "
              + dataDir
              + "; is it a node's data dir?");
    }
    return files.get(random.nextInt(files.size()));
  }

  private static Damage corrupt(Path file, Path dataDir, Random random) {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      int length = (int) Math.min(8, size);
      long offset = size == length ? 0 : random.nextLong(size - length + 1);
      ByteBuffer bytes = ByteBuffer.allocate(length);
      ch.read(bytes, offset);
      for (int i = 0; i < length; i++) {
        bytes.put(i, (byte) ~bytes.get(i)); // every bit flipped: surely different
      }
      bytes.rewind();
      ch.write(bytes, offset);
      ch.force(true);
      return new Damage(
          file,
          DataFileKind.of(dataDir, file).orElseThrow(),
          "flipped " + length + " bytes at offset " + offset + " of " + size);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot corrupt " + file, e);
    }
  }

  private static Damage truncate(Path file, Path dataDir, Random random) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long newSize = random.nextLong(size);
      ch.truncate(newSize);
      ch.force(true);
      return new Damage(
          file,
          DataFileKind.of(dataDir, file).orElseThrow(),
          "truncated from " + size + " to " + newSize + " bytes");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot truncate " + file, e);
    }
  }
}
