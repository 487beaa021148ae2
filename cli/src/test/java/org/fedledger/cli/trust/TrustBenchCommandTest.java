package org.fedledger.cli.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.fedledger.cli.bench.BenchCommand;
import org.fedledger.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrustBenchCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return run(new BenchCommand(), args);
  }

  private int run(Object command, String... args) {
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /**
   * The chain's owners hold the simulation's partitions, train with its seeds and have their
   * updates combined in its order, and fedavgm's momentum is carried from round to round through
   * the chain: the final weights are bit-identical, after a warm-up job on the same network (jobs
   * do not share server state, and the owners' datasets registered for the warm-up serve both). The
   * chain's temporary directory is gone afterwards.
   */
  @Test
  @Timeout(180)
  void theChainEndsWithExactlyTheSimulationsWeightsFedAvgMMomentumIncluded() throws Exception {
    Path json = dir.resolve("trust.json");
    TrustBenchCommand trust = new TrustBenchCommand();
    trust.temporaryParent = Files.createDirectories(dir.resolve("tmp"));
    int code =
        run(
            trust,
            "--base-port",
            String.valueOf(FreePorts.consecutive(9)),
            "--json",
            json.toString(),
            "--model",
            "logreg",
            "--strategy",
            "fedavgm",
            "--rounds",
            "2",
            "--participants",
            "3",
            "--samples-per-owner",
            "100",
            "--warmup-rounds",
            "1");
    assertThat(code).as("stdout:%n%s%nstderr:%n%s", out, err).isZero();
    try (Stream<Path> left = Files.list(trust.temporaryParent)) {
      assertThat(left).as("temporary chain directories left").isEmpty();
    }
    JsonNode r = new ObjectMapper().readTree(json.toFile());
    assertThat(r.get("chain_weights_hash").asText()).hasSize(64);
    assertThat(r.get("chain_weights_hash").asText())
        .isEqualTo(r.get("simulate_weights_hash").asText());
    assertThat(r.get("same_weights").asBoolean()).isTrue();
    assertThat(r.get("differences").asText()).isEmpty();
    assertThat(r.get("chain_final_accuracy").asDouble())
        .isEqualTo(r.get("simulate_final_accuracy").asDouble());
    assertThat(r.get("chain_seconds").asDouble()).isPositive();
    assertThat(r.get("simulate_seconds").asDouble()).isPositive();
    assertThat(r.get("ratio").asDouble()).isPositive();
    assertThat(r.get("chain_round_seconds")).hasSize(2);
    assertThat(r.get("simulate_round_seconds")).hasSize(2);
    assertThat(r.get("strategy").asText()).isEqualTo("fedavgm");
    assertThat(r.get("warmup_rounds").asInt()).isEqualTo(1);
    assertThat(r.get("chain_warmup_seconds").asDouble()).isPositive();
    assertThat(r.get("simulate_warmup_seconds").asDouble()).isPositive();
  }

  @Test
  void badOptionsExitTwo() {
    assertThat(run("trust", "--json", dir.resolve("t.json").toString(), "--rounds", "0"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--rounds must be 1-100");
    assertThat(run("trust")).isEqualTo(2);
    assertThat(err.toString()).contains("--json");
    assertThat(run("trust", "--json", dir.resolve("t.json").toString(), "--strategy", "fedsgd"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("unknown strategy 'fedsgd'");
    assertThat(run("trust", "--json", dir.resolve("t.json").toString(), "--attest-quorum", "3"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--attest-quorum must be 0-2");
    assertThat(run("trust", "--json", dir.resolve("t.json").toString(), "--warmup-rounds", "-1"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--warmup-rounds must be 0-10");
    assertThat(dir.resolve("t.json")).doesNotExist();
  }
}
