package org.fedledger.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removing directory trees: replaced ledger directories, Raft snapshot checkpoints, and the
 * temporary directories of benchmarks and commands.
 */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes dir and everything under it; nothing if dir is null or does not exist. */
  public static void delete(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause(); // the walk's own failure to list a directory
    }
  }
}
