package org.fedledger.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedledger.cli.FedledgerCommand;
import org.fedledger.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = FedledgerCommand.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  @Timeout(240)
  void twoRoundDemoRejectsAndSlashesTheAttackerAndVerifiesTheModel() throws Exception {
    Path json = dir.resolve("demo.json");
    int code =
        run(
            "demo",
            "--exit",
            "--rounds",
            "2",
            "--json",
            json.toString(),
            "--dir",
            dir.resolve("net").toString(),
            "--base-port",
            String.valueOf(FreePorts.consecutive(9)));
    assertThat(code).as("stdout:%n%s%nstderr:%n%s", out, err).isZero();
    JsonNode r = new ObjectMapper().readTree(json.toFile());
    assertThat(r.get("final_accuracy").asDouble()).isBetween(0.0, 1.0).isGreaterThan(0.3);
    assertThat(r.get("rounds")).hasSize(2);
    assertThat(r.get("rounds").get(0).get("round").asLong()).isEqualTo(1);
    // Round 1's accuracy is reported after its commit; the demo waits for it before printing.
    for (JsonNode round : r.get("rounds")) {
      assertThat(round.get("accuracy").asDouble()).as("round %s", round.get("round")).isPositive();
    }
    assertThat(r.get("model_id").asText()).isNotEmpty();
    assertThat(r.get("verify").asText()).isEqualTo("valid");
    assertThat(r.get("blocks").asLong()).isPositive();
    assertThat(r.get("transactions").asLong()).isPositive();
    int malicious = 0;
    for (JsonNode p : r.get("participants")) {
      if (p.get("malicious").asBoolean()) {
        malicious++;
        assertThat(p.get("rejected").asLong()).isPositive();
        assertThat(p.get("slashed").asLong()).isPositive();
      } else {
        assertThat(p.get("reward").asLong()).isPositive();
      }
    }
    assertThat(malicious).isEqualTo(1);
    assertThat(out.toString()).contains("round  1/2").contains("verify: valid");

    // The model in use: ten paid calls through a channel reach the node's claim threshold, its
    // claim agent claims, and the split pays the honest owners royalties, the attacker none.
    JsonNode serving = r.get("serving");
    assertThat(serving.get("calls").asInt()).isEqualTo(10);
    assertThat(serving.get("valid_receipts").asInt()).isEqualTo(10);
    assertThat(serving.get("correct").asInt()).isBetween(0, 10);
    assertThat(serving.get("claimed").asLong()).isEqualTo(1_000);
    assertThat(serving.get("provider_amount").asLong()).isEqualTo(100);
    assertThat(serving.get("owner_amount").asLong()).isEqualTo(300);
    long royalties = 0;
    for (JsonNode k : serving.get("royalties")) {
      if (k.get("malicious").asBoolean()) {
        assertThat(k.get("amount").asLong()).as("the attacker's royalty").isZero();
      } else {
        assertThat(k.get("amount").asLong()).as("%s's royalty", k.get("id")).isPositive();
      }
      royalties += k.get("amount").asLong();
    }
    assertThat(royalties).as("60 % of the claim to the contributors").isEqualTo(600);
    assertThat(serving.get("royalties")).hasSize(5);
    assertThat(out.toString())
        .contains("10 paid predictions through POST /v1/models/{id}/predict")
        .contains("claim agent claimed 1000: provider 100, owner 300, contributors 600")
        .containsPattern("royalties  p1 \\d+  p2 \\d+  p3 \\d+  p4 \\d+  p5 0 \\(malicious\\)");
    // The terminal shows progress lines; the nodes' logs went to the file the demo named.
    Path log = dir.resolve("net").resolve("demo.log").toAbsolutePath();
    assertThat(out.toString()).contains("logs: " + log).doesNotContain(" INFO ");
    assertThat(Files.readString(log)).contains("INFO").contains("node node-0 of chain");
  }

  @Test
  void aBasePortOutOfRangeIsAUsageError() {
    assertThat(run("demo", "--base-port", "80", "--exit")).isEqualTo(2);
    assertThat(err.toString()).contains("--base-port");
  }

  @Test
  void tooFewParticipantsIsAUsageError() {
    assertThat(run("demo", "--participants", "2", "--exit")).isEqualTo(2);
    assertThat(err.toString()).contains("--participants");
  }
}
