package org.fedledger.cli.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fedledger.cli.nemesis.clock.FakeClock;
import org.fedledger.cli.testing.CliRun;
import org.fedledger.testkit.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded nemesis of CI: {@code fedledger bench nemesis} on three validator processes, each
 * default fault kind once (a partition, kill -9, a SIGSTOP pause, a slow follower, a jump of the
 * leader's clock, a damaged data file on a stopped follower) under the transfers and a two-round
 * training job, and the checker's verdict, which must be clean. The nodes' logs are copied to
 * {@code target/nemesis/}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NemesisBenchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @AfterEach
  void keepTheLogs() throws IOException {
    Path logs = Files.createDirectories(Path.of("target", "nemesis"));
    Path net = dir.resolve("run/net");
    if (!Files.isDirectory(net)) {
      return;
    }
    try (Stream<Path> nodes = Files.list(net)) {
      for (Path node : nodes.filter(p -> Files.exists(p.resolve("node.log"))).toList()) {
        Files.copy(
            node.resolve("node.log"),
            logs.resolve(node.getFileName() + ".log"),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  void everyFaultKindOnceLosesNothingDuplicatesNothingAndLeavesTheNodesAgreeing() throws Exception {
    Path out = dir.resolve("nemesis.json");
    CliRun run =
        CliRun.of(
            "bench",
            "nemesis",
            "--duration",
            "1",
            "--nodes",
            "3",
            "--seed",
            "20",
            "--base-port",
            Integer.toString(FreePorts.consecutive(9)),
            "--dir",
            dir.resolve("run").toString(),
            "--json",
            out.toString());
    assertThat(run.exitCode()).as("stdout:%n%s%nstderr:%n%s", run.out(), run.err()).isZero();
    JsonNode report = JSON.readTree(Files.readString(out));
    assertThat(report.path("violations")).as(report.toString()).isEmpty();
    assertThat(report.path("acknowledged").asInt()).isPositive();
    assertThat(report.path("lost").asInt()).isZero();
    assertThat(report.path("duplicated").asInt()).isZero();
    assertThat(report.path("diverged").asInt()).isZero();
    List<String> kinds =
        new ArrayList<>(List.of("partition", "kill", "pause", "slow", "damage", "clock"));
    if (!FakeClock.available()) {
      kinds.remove("clock"); // ./run-tests installs libfaketime; a bare machine may lack it
    }
    for (String kind : kinds) {
      assertThat(report.path("faults").path(kind).asInt()).as(kind).isEqualTo(1);
    }
    assertThat(report.path("faults").path("disk").asInt()).isZero();
    assertThat(report.path("recoveries")).hasSize(kinds.size());
    assertThat(report.path("recoveries").findValuesAsText("fault"))
        .filteredOn(f -> f.startsWith("damaged "))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .matches(
            ".*: (it refused to run \\(exit [1-9][0-9]*\\); data directory moved aside, node"
                + " restored from its peers|it ran on it)");
    assertThat(report.path("training").asText())
        .matches("job [0-9a-f]{64}: model .+ verified valid");
    assertThat(report.path("recovery_seconds_p99").asDouble()).isPositive();
  }
}
