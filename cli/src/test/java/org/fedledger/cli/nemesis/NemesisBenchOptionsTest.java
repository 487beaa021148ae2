package org.fedledger.cli.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.cli.testing.CliRun;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad options of {@code bench nemesis} are bad input: exit 2 with a message naming the option and
 * what it accepts, before any node is started or any file written. Exit 1 stays reserved for a
 * violation the checker found.
 */
class NemesisBenchOptionsTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--nodes    | 4     | --nodes must be 3 or 5",
        "--nodes    | 1     | --nodes must be 3 or 5",
        "--duration | -5    | --duration must be a positive number of seconds of faults, got -5",
        "--duration | 0     | --duration must be a positive number of seconds of faults, got 0",
        "--faults   | bogus | --faults: unknown fault kind 'bogus'; the kinds are [partition,",
        "--faults   | kill,,pause | --faults: unknown fault kind ''",
        "--base-port | 80   | --base-port must be 1024-65526, got 80",
        "--base-port | 65530 | --base-port must be 1024-65526, got 65530"
      })
  void aBadOptionExitsWithTwoSaysWhatIsWrongAndWritesNothing(
      String option, String value, String message) {
    Path json = dir.resolve("out/nemesis.json");
    Path run = dir.resolve("run");
    String[] withBad = args(option, value, "--dir", run.toString(), "--json", json.toString());

    CliRun result = CliRun.of(withBad);

    assertThat(result.exitCode()).as("stderr: %s", result.err()).isEqualTo(2);
    assertThat(result.err()).contains(message);
    assertThat(result.out()).isEmpty();
    assertThat(json).doesNotExist();
    assertThat(run).doesNotExist();
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"--duration, abc", "--nodes, three", "--seed, x", "--base-port, high"})
  void anOptionThatIsNotANumberExitsWithTwo(String option, String value) throws Exception {
    Path json = dir.resolve("nemesis.json");
    CliRun result = CliRun.of(args(option, value, "--json", json.toString()));
    assertThat(result.exitCode()).as("stderr: %s", result.err()).isEqualTo(2);
    assertThat(result.err()).contains(option).contains("'" + value + "'");
    assertThat(Files.exists(json)).isFalse();
  }

  /** bench nemesis with option set to value, and a valid --duration unless that is the option. */
  private static String[] args(String option, String value, String... more) {
    List<String> args = new ArrayList<>(List.of("bench", "nemesis", option, value));
    if (!option.equals("--duration")) {
      args.addAll(List.of("--duration", "5"));
    }
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }
}
