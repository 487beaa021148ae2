package org.fedledger.cli.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the demo's logs go: to a file, and with {@code --verbose} to the terminal too, so that the
 * terminal shows the demo's progress lines and not the nodes' logs. The fedledger command logs
 * through slf4j-simple to {@code System.err} (see {@code simplelogger.properties}), which looks the
 * stream up on every line; so replacing {@code System.err} moves every node's log lines, and
 * whatever else the process writes there, until {@link #close}.
 */
final class DemoLog implements AutoCloseable {
  private final Path file;
  private final PrintStream previous;
  private final OutputStream fileStream;

  private DemoLog(Path file, PrintStream previous, OutputStream fileStream) {
    this.file = file;
    this.previous = previous;
    this.fileStream = fileStream;
  }

  /** Sends System.err to a new file and, if verbose, to the terminal too. */
  static DemoLog open(Path file, boolean verbose) throws IOException {
    OutputStream toFile = Files.newOutputStream(file);
    PrintStream previous = System.err;
    OutputStream target = verbose ? new Tee(toFile, previous) : toFile;
    System.setErr(new PrintStream(target, true, StandardCharsets.UTF_8));
    return new DemoLog(file, previous, toFile);
  }

  Path file() {
    return file;
  }

  /** Gives System.err back and closes the file. */
  @Override
  public void close() throws IOException {
    PrintStream ours = System.err;
    System.setErr(previous);
    ours.flush();
    fileStream.close();
  }

  /** Writes each byte to both streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
      second.flush();
    }
  }
}
