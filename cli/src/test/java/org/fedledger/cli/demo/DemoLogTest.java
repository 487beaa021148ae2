package org.fedledger.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoLogTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
  private PrintStream original;

  @BeforeEach
  void captureTheTerminal() {
    original = System.err;
    System.setErr(new PrintStream(terminal, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(original);
  }

  @Test
  void logLinesGoToTheFileOnlyAndTheTerminalComesBackOnClose() throws Exception {
    Path file = dir.resolve("demo.log");
    try (DemoLog log = DemoLog.open(file, false)) {
      assertThat(log.file()).isEqualTo(file);
      System.err.println("INFO node started");
    }
    System.err.println("after");
    assertThat(Files.readString(file)).isEqualTo("INFO node started" + System.lineSeparator());
    assertThat(terminal.toString(StandardCharsets.UTF_8))
        .isEqualTo("after" + System.lineSeparator());
  }

  @Test
  void verboseLogLinesGoToTheFileAndTheTerminal() throws Exception {
    Path file = dir.resolve("demo.log");
    try (DemoLog log = DemoLog.open(file, true)) {
      System.err.println("INFO node started");
    }
    assertThat(Files.readString(file)).contains("INFO node started");
    assertThat(terminal.toString(StandardCharsets.UTF_8)).contains("INFO node started");
  }
}
