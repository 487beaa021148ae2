package org.fedledger.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LedgerBenchCommandTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void oneNodeCommitsEveryTransferAndWritesTheResult() throws Exception {
    Path json = dir.resolve("out/bench.json");

    int exit =
        new CommandLine(new BenchCommand())
            .execute(
                "ledger",
                "--nodes",
                "1",
                "--txs",
                "2000",
                "--accounts",
                "100",
                "--json",
                json.toString());

    assertThat(exit).isZero();
    String out = Files.readString(json);
    assertThat(out)
        .contains("\"nodes\":1", "\"txs\":2000", "\"tps\":", "\"p50_ms\":", "\"p99_ms\":")
        .as("a fifth of --txs is committed first as a warm-up")
        .contains("\"warmup_txs\":400");
    assertThat(out).doesNotContain("NaN", "Infinity");
  }

  @Test
  void refusesAnEmptyRun() {
    int exit =
        new CommandLine(new BenchCommand())
            .execute("ledger", "--txs", "0", "--json", dir.resolve("x.json").toString());

    assertThat(exit).isNotZero();
    assertThat(dir.resolve("x.json")).doesNotExist();
  }
}
