package org.fedledger.cli.nemesis.clock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The wall clock of one node process, moved at will: Debian's libfaketime preloaded into the node's
 * JVM, reading its offset from a file that {@link #jump} rewrites while the process runs.
 *
 * <p>Only the wall clock ({@code CLOCK_REALTIME}: {@code System.currentTimeMillis}, {@code
 * Instant.now}) moves. The monotonic clock stays real ({@code FAKETIME_DONT_FAKE_MONOTONIC}), as
 * when NTP steps a real machine's clock: the JVM's timers, {@code System.nanoTime} and Raft's
 * election timeouts keep running at their pace. {@code FAKETIME_NO_CACHE} makes every wall-clock
 * read see the file's current offset, at the price of a file read per call (tens of microseconds),
 * which is why only the process under test gets this environment.
 */
public final class FakeClock {
  private static final String OFFSET_FILE = "faketime.offset";

  /** Where Debian and Ubuntu install the library, by architecture. */
  private static final List<Path> LIBRARY_CANDIDATES =
      List.of(
          Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
          Path.of("/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"),
          Path.of("/usr/lib/faketime/libfaketime.so.1"),
          Path.of("/usr/local/lib/faketime/libfaketime.so.1"));

  private final Path library;
  private final Path offsetFile;
  private volatile Duration offset = Duration.ZERO;

  private FakeClock(Path library, Path offsetFile) {
    this.library = library;
    this.offsetFile = offsetFile;
  }

  /** True if libfaketime is installed here ({@code apt-get install -y libfaketime}). */
  public static boolean available() {
    return library().isPresent();
  }

  private static Optional<Path> library() {
    return LIBRARY_CANDIDATES.stream().filter(Files::isReadable).findFirst();
  }

  /**
   * A clock at real time whose offset lives in dir (created if missing). Start the process with
   * {@link #environment()} added to its environment.
   *
   * @throws IllegalStateException if libfaketime is not installed
   */
  public static FakeClock create(Path dir) {
    Path lib =
        library()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "libfaketime is not installed (looked in "
                            + LIBRARY_CANDIDATES
                            + "); install it with 'apt-get install -y libfaketime'"));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the fake clock's directory " + dir, e);
    }
    FakeClock clock = new FakeClock(lib, dir.resolve(OFFSET_FILE));
    clock.jump(Duration.ZERO);
    return clock;
  }

  /** The variables to start the process with so that its wall clock follows this clock. */
  public Map<String, String> environment() {
    return Map.of(
        "LD_PRELOAD",
        library.toString(),
        "FAKETIME_TIMESTAMP_FILE",
        offsetFile.toString(),
        "FAKETIME_NO_CACHE",
        "1",
        "FAKETIME_DONT_FAKE_MONOTONIC",
        "1");
  }

  /**
   * Sets the process's wall clock to real time plus offset (negative: behind), at once; {@link
   * Duration#ZERO} heals. Whole seconds only, as libfaketime's relative format reads them; the file
   * is replaced atomically so the process never reads half an offset.
   *
   * @throws IllegalArgumentException if offset has a fraction of a second
   */
  public void jump(Duration offset) {
    if (offset.toNanosPart() != 0) {
      throw new IllegalArgumentException(
          "the clock jumps by whole seconds, not " + offset + "; round the offset");
    }
    String text = formatOffset(offset);
    Path tmp = offsetFile.resolveSibling(OFFSET_FILE + ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, offsetFile, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the fake clock's offset to " + offsetFile, e);
    }
    this.offset = offset;
  }

  /** The offset from real time the process sees now. */
  public Duration offset() {
    return offset;
  }

  /** The file libfaketime reads; its content is the offset in libfaketime's relative format. */
  public Path offsetFile() {
    return offsetFile;
  }

  /** libfaketime's relative format: a sign and whole seconds, e.g. {@code +3600} or {@code -60}. */
  static String formatOffset(Duration offset) {
    long seconds = offset.toSeconds();
    return (seconds < 0 ? "-" : "+") + Math.abs(seconds) + "\n";
  }
}
