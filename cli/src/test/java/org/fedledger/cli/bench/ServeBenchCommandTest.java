package org.fedledger.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.fedledger.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * A short run of {@code bench serve}: bounded, and every token accounted for at the end; options
 * that cannot run are refused with the reason before anything starts.
 */
class ServeBenchCommandTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "--presign, -1, 0-1000000 vouchers per client and nonce",
    "--clients, 0, 1-1024",
    "--rows, binary, expected one of [decimal, compact]"
  })
  void refusesOptionsThatCannotRunAndWritesNothing(String option, String value, String reason) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    int exit;
    try {
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      exit =
          new CommandLine(new BenchCommand())
              .execute("serve", option, value, "--json", dir.resolve("x.json").toString());
    } finally {
      System.setErr(stderr);
    }
    assertThat(exit).isNotZero();
    assertThat(log.toString(StandardCharsets.UTF_8)).contains(reason);
    assertThat(dir.resolve("x.json")).doesNotExist();
  }

  @Test
  @Timeout(value = 400, unit = TimeUnit.SECONDS)
  void aShortRunAnswersPaidAndUnpaidCallsAndClaimsEveryAnsweredToken() throws Exception {
    Path json = dir.resolve("out/serve.json");
    int exit =
        new CommandLine(new BenchCommand())
            .execute(
                "serve",
                "--base-port",
                String.valueOf(FreePorts.consecutive(3)),
                "--clients",
                "4",
                "--duration",
                "2",
                "--warmup",
                "1",
                // Low, so that claims happen during the run and the clients follow them.
                "--claim-threshold",
                "3",
                // Fewer than the calls: clients run out of presigned vouchers and sign the rest,
                // and move on to new nonces after claims; every token is still accounted for.
                "--presign",
                "2",
                "--rows",
                "compact",
                "--json",
                json.toString());
    assertThat(exit).isZero();
    JsonNode r = new ObjectMapper().readTree(json.toFile());
    for (String field :
        new String[] {
          "paid_calls_per_s",
          "paid_p50_ms",
          "paid_p99_ms",
          "unpaid_calls_per_s",
          "claims",
          "royalties_paid",
          "tokens_conserved"
        }) {
      assertThat(r.has(field)).as(field).isTrue();
    }
    assertThat(r.get("paid_calls").asLong()).isPositive();
    assertThat(r.get("unpaid_calls").asLong()).isPositive();
    assertThat(r.get("paid_refused").asLong()).isZero();
    assertThat(r.get("tokens_conserved").asBoolean()).isTrue();
    assertThat(r.get("claimed_equals_answered").asBoolean()).isTrue();
    assertThat(r.get("rows").asText()).isEqualTo("compact");
    assertThat(r.get("presigned_per_client_and_nonce").asInt()).isEqualTo(2);
    assertThat(r.get("paid_signed_in_loop").asLong()).isPositive();
    assertThat(r.get("claimed").asLong()).isGreaterThanOrEqualTo(r.get("paid_calls").asLong());
    // Half of every claim goes to the contributors (the offer's split), within a token per claim.
    long claims = r.get("claims").asLong();
    long half = r.get("claimed").asLong() / 2;
    // Each channel is claimed at the end at least; with so low a threshold, most also during the
    // run.
    assertThat(claims).isGreaterThanOrEqualTo(4);
    assertThat(r.get("royalties_paid").asLong()).isBetween(half - claims, half + claims);
  }
}
