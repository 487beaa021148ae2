package org.fedledger.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.cli.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * job create's --standardize and --test-fraction before anything is signed: a fraction outside [0,
 * 1) is a usage error naming the rule, and a valid one goes on to the key (no node is contacted, so
 * a refusal cannot have changed anything). {@code TrainingCommandsTest} checks that both reach the
 * chain's CreateJob.
 */
class JobCreateEvaluationOptionsTest {
  @TempDir Path dir;

  private CliRun create(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "job",
                "create",
                "--node",
                "http://127.0.0.1:9",
                "--key",
                dir.resolve("none.key").toString(),
                "--blobs",
                "http://127.0.0.1:9",
                "--model",
                "logreg",
                "--rounds",
                "1",
                "--participants-per-round",
                "1",
                "--reward",
                "1",
                "--round-blocks",
                "10",
                "--required-use",
                "x"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  @Test
  void aTestFractionOfOneOrMoreIsRefusedWithTheRule() {
    for (String f : List.of("1", "1.5", "0.9999999")) {
      CliRun run = create("--test-fraction", f);
      assertThat(run.exitCode()).as(f).isEqualTo(2);
      assertThat(run.err())
          .as(f)
          .contains("--test-fraction must be at least 0 and below 1", "got " + Double.valueOf(f));
    }
  }

  @Test
  void aNegativeOrNonNumericTestFractionIsRefused() {
    CliRun negative = create("--test-fraction", "-0.1");
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(negative.err()).contains("--test-fraction must be at least 0 and below 1");
    CliRun nan = create("--test-fraction", "NaN");
    assertThat(nan.exitCode()).isEqualTo(2);
    assertThat(nan.err()).contains("--test-fraction must be at least 0 and below 1");
    CliRun word = create("--test-fraction", "a-fifth");
    assertThat(word.exitCode()).isEqualTo(2);
    assertThat(word.err()).contains("--test-fraction", "a-fifth");
  }

  @Test
  void aTestFractionTooSmallToHoldOutAnythingIsRefused() {
    CliRun run = create("--test-fraction", "0.0000001");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("must be 0 (no local test split) or at least 0.000001");
  }

  @Test
  void standardizeWithAValidTestFractionGoesOnToTheKey() {
    for (String f : List.of("0", "0.2", "0.999999")) {
      CliRun run = create("--standardize", "--test-fraction", f);
      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      assertThat(run.err()).contains("none.key");
    }
  }
}
