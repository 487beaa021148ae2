package org.fedledger.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PrivacyBenchCommandTest {
  @TempDir Path dir;

  @Test
  void fewerThanOneTimedEpochIsABadOptionAndWritesNothing() {
    Path json = dir.resolve("privacy.json");
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setErr(new PrintWriter(err));

    int exit = cli.execute("privacy", "--timing-runs", "0", "--json", json.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--timing-runs must be at least 1");
    assertThat(Files.exists(json)).isFalse();
  }
}
