package org.fedledger.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.OwnerEvaluation;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.node.api.training.ProtoJson;
import org.junit.jupiter.api.Test;

/**
 * job status's metrics table, rendered from the JSON the node's API serves for a job ({@code
 * /v1/jobs/ID}, written here with the API's own {@link ProtoJson}): central metrics from each
 * round's commit, federated ones from its owners' evaluations, and the statistics step.
 */
class JobMetricsTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Metric metric(String name, long value) {
    return Metric.newBuilder().setName(name).setValue(value).build();
  }

  private static ByteString bytes(int fill) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) fill);
    return ByteString.copyFrom(b);
  }

  private static Job job(boolean standardize, long testFractionPpm, ByteString statistics) {
    return Job.newBuilder()
        .setJobId(bytes(1))
        .setSpec(
            CreateJob.newBuilder()
                .setRounds(2)
                .setStandardize(standardize)
                .setTestFractionPpm(testFractionPpm))
        .addParticipants(bytes(2))
        .addParticipants(bytes(3))
        .addParticipants(bytes(4))
        .setStatisticsHash(statistics)
        .build();
  }

  private static Round round(long r, List<Metric> central, List<Metric> federated, int reports) {
    Round.Builder b =
        Round.newBuilder()
            .setRound(r)
            .setStatus(RoundStatus.ROUND_FINAL)
            .addSelected(bytes(2))
            .addSelected(bytes(3))
            .addSelected(bytes(4))
            .setCommit(CommitRound.newBuilder().addAllMetrics(central))
            .addAllFederatedMetrics(federated);
    for (int i = 0; i < reports; i++) {
      b.addEvaluations(
          OwnerEvaluation.newBuilder().setParticipant(bytes(2 + i)).setSampleCount(40));
    }
    return b.build();
  }

  private static String render(Job job, List<Round> rounds) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("job", ProtoJson.of(job));
    body.put("rounds", ProtoJson.of(rounds));
    JsonNode json = JSON.valueToTree(body);
    StringWriter out = new StringWriter();
    JobMetricsTable.print(job, json, new PrintWriter(out, true));
    return out.toString();
  }

  @Test
  void showsEachRoundsCentralAndFederatedMetricsAndTheAttestedStatistics() {
    Job job = job(true, 200_000, bytes(0xab));
    String table =
        render(
            job,
            List.of(
                round(
                    1,
                    List.of(metric("accuracy_ppm", 812_345), metric("macro_f1_ppm", 800_000)),
                    List.of(
                        metric("accuracy_ppm", 790_000),
                        metric("auc_ppm", 871_234),
                        metric("macro_f1_ppm", 785_500)),
                    3),
                round(2, List.of(), List.of(metric("accuracy_ppm", 833_333)), 2)));
    assertThat(table)
        .contains("statistics attested " + "ab".repeat(32))
        .contains("federated: 3 owners' 20.0% local splits")
        .contains("    1  central    accuracy 81.23%, macro_f1 0.8000")
        .contains("       federated  accuracy 79.00%, auc 0.8712, macro_f1 0.7855 (3 of 3 owners)")
        // Round 2: no central metrics (yet), two of three owners reported.
        .contains("    2  central    -")
        .contains("       federated  accuracy 83.33% (2 of 3 owners)");
  }

  @Test
  void regressionMetricsAreNumbersNotPercentages() {
    Job job = job(false, 100_000, ByteString.EMPTY);
    String table =
        render(
            job,
            List.of(
                round(
                    1,
                    List.of(metric("rmse_micro", 55_480_000)),
                    List.of(
                        metric("mae_micro", 1_250_000),
                        metric("r2_ppm", 412_000),
                        metric("rmse_micro", 1_500_000)),
                    3)));
    assertThat(table)
        .doesNotContain("statistics")
        .contains("    1  central    rmse 55.4800")
        .contains("federated  mae 1.2500, r2 0.4120, rmse 1.5000 (3 of 3 owners)");
  }

  @Test
  void aJobWithoutALocalSplitShowsCentralMetricsOnlyAndAStatisticsStepStillRunning() {
    Job job = job(true, 0, ByteString.EMPTY);
    String table =
        render(job, List.of(round(1, List.of(metric("accuracy_ppm", 500_000)), List.of(), 0)));
    assertThat(table)
        .contains("statistics being reported (round 0)")
        .contains("round  metrics (central: sponsor's test set)")
        .contains("    1  central    accuracy 50.00%")
        .doesNotContain("federated");
  }
}
