package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.OwnerEvaluation;
import org.fedledger.core.proto.training.ReportEvaluation;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.learning.data.DatasetReader;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.SchemaInference;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.stats.FeatureStatistics;
import org.fedledger.learning.data.stats.Standardization;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.StandardizedWeights;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.Evaluation;
import org.fedledger.learning.train.LocalTrainer;
import org.fedledger.learning.train.OptimizerKind;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.ledger.training.TrainingMessages;
import org.fedledger.node.testing.TrainingNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tabular job with federated standardization and federated evaluation on real validators: the
 * owners' CSV tables (two Gaussian blobs whose features sit far from 0 and on very different
 * scales) are combined into one attested standardization before round 1; every selected owner
 * reports its evaluation of every round on its local test split; the job's federated metrics are
 * the sample-weighted mean; the final model, with the standardization folded into its first layer,
 * predicts from raw features.
 */
class StandardizedJobOnChainTest {
  private static final int OWNERS = 3;
  private static final long TEST_FRACTION_PPM = 250_000;

  @TempDir static Path data;
  @TempDir Path dir;

  private static DatasetSchema schema;
  private static LabeledData[] owners;
  private static LabeledData central;

  @BeforeAll
  static void tables() throws IOException {
    Path first = null;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i <= OWNERS; i++) {
      Path csv = data.resolve("owner-" + i + ".csv");
      writeBlobs(csv, 120 + 40 * i, 100 + i);
      files.add(csv);
      first = first == null ? csv : first;
    }
    schema = SchemaInference.infer(first, List.of("outcome"), Optional.empty());
    owners = new LabeledData[OWNERS];
    for (int i = 0; i < OWNERS; i++) {
      owners[i] = DatasetReader.read(files.get(i), schema);
    }
    central = DatasetReader.read(files.get(OWNERS), schema); // the sponsor's central test set
  }

  /** Two classes: the blobs' centres differ on every feature, each on its own scale. */
  private static void writeBlobs(Path csv, int rows, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder out = new StringBuilder("income,age,dose,outcome\n");
    for (int r = 0; r < rows; r++) {
      boolean sick = random.nextBoolean();
      double shift = sick ? 1 : -1;
      out.append(
          String.format(
              Locale.ROOT,
              "%.2f,%.3f,%.5f,%s%n",
              50_000 + shift * 9_000 + 10_000 * random.nextGaussian(),
              60 + shift * 6 + 8 * random.nextGaussian(),
              0.002 + shift * 0.0005 + 0.0008 * random.nextGaussian(),
              sick ? "sick" : "well"));
    }
    Files.writeString(csv, out);
  }

  @Test
  @Timeout(240)
  void statisticsAttestedBeforeRoundOneEveryOwnerEvaluatesAndTheModelTakesRawFeatures()
      throws Exception {
    List<TrainingNetwork.Owner> list = new ArrayList<>();
    for (int i = 0; i < OWNERS; i++) {
      list.add(new TrainingNetwork.Owner("p" + i, owners[i], null));
    }
    ModelSpec spec = ModelSpecs.preset("logreg", schema);
    JobOptions options =
        JobOptions.builder()
            .setModel(spec)
            .setRounds(2)
            .setParticipantsPerRound(OWNERS)
            .setStrategy("fedavg")
            .optMinUpdates(OWNERS)
            .optReward(1_000_000)
            .optStake(10_000)
            .optRoundBlocks(300)
            .optCommitBlocks(200)
            .optAttestQuorum(1)
            .build();
    TrainConfig train = new TrainConfig(2, 16, OptimizerKind.SGD, 0.1f, 0f);
    try (TrainingNetwork net = TrainingNetwork.start(dir, 3, list, 5, central, null, train)) {
      Hash jobId =
          net.createAndStartJob(
              options, b -> b.setStandardize(true).setTestFractionPpm(TEST_FRACTION_PPM));
      TrainingState chain = new TrainingState(net.ledger());
      await(
          Duration.ofSeconds(200),
          "every owner's evaluation of the last round",
          () ->
              chain.job(jobId).orElseThrow().getStatus() == JobStatus.JOB_COMPLETED
                  && chain.round(jobId, 2).orElseThrow().getEvaluationsCount() == OWNERS);
      Job job = chain.job(jobId).orElseThrow();

      // The statistics step: every owner's statistics of its training part, combined in member
      // order, attested and final before round 1 opened.
      Round statistics = chain.round(jobId, 0).orElseThrow();
      assertThat(statistics.getStatus()).isEqualTo(RoundStatus.ROUND_FINAL);
      assertThat(statistics.getSubmissionsCount()).isEqualTo(OWNERS);
      assertThat(statistics.getFinalizedHeight())
          .isLessThanOrEqualTo(chain.round(jobId, 1).orElseThrow().getOpenedHeight());
      List<FeatureStatistics> parts = new ArrayList<>();
      for (int i = 0; i < OWNERS; i++) {
        parts.add(OwnerJobData.of(job, owners[i], i).statistics());
      }
      FeatureStatistics combined = FeatureStatistics.combine(parts);
      assertThat(Hash.of(job.getStatisticsHash())).isEqualTo(combined.hash());
      Standardization standardization = combined.standardization();

      for (long r = 1; r <= 2; r++) {
        Round round = chain.round(jobId, r).orElseThrow();
        assertThat(round.getEvaluationsList())
            .extracting(OwnerEvaluation::getParticipant)
            .containsExactlyInAnyOrderElementsOf(round.getSelectedList());
        for (OwnerEvaluation e : round.getEvaluationsList()) {
          int i = job.getParticipantsList().indexOf(e.getParticipant());
          assertThat(e.getSampleCount())
              .as("owner %d's local test split", i)
              .isEqualTo(OwnerJobData.of(job, owners[i], i).test().orElseThrow().size());
          assertThat(e.getMetricsList())
              .extracting(Metric::getName)
              .contains(ChainMetrics.ACCURACY, ChainMetrics.MACRO_F1, ChainMetrics.AUC);
        }
        assertThat(round.getFederatedMetricsList())
            .isEqualTo(weightedMean(round.getEvaluationsList()));
        // The central test set's metrics, standardized as the owners train.
        List<Metric> central =
            r == 2 ? round.getCommit().getMetricsList() : awaitMetrics(chain, jobId, r);
        assertThat(central)
            .extracting(Metric::getName)
            .contains(ChainMetrics.ACCURACY, ChainMetrics.MACRO_F1, ChainMetrics.AUC);
      }

      // The model, its standardization folded in, predicts from raw features as the trained
      // weights do from standardized ones.
      Round last = chain.round(jobId, 2).orElseThrow();
      Weights trained =
          net.auditorSource()
              .weights(
                  Hash.of(last.getCommit().getAggregateHash()), last.getCommit().getBlobLocation());
      Weights folded = StandardizedWeights.fold(spec, trained, standardization);
      try (LocalTrainer model = LocalTrainer.create(spec)) {
        Evaluation onStandardized = model.evaluate(trained, standardization.apply(central));
        Evaluation onRaw = model.evaluate(folded, central);
        assertThat(onRaw.accuracy()).isGreaterThan(0.85);
        assertThat(Math.abs(onRaw.accuracy() - onStandardized.accuracy()))
            .isLessThanOrEqualTo(1.0 / central.size());
      }

      // Bad input on the live chain: a second report, and a report for a round that is not.
      TrainingNetwork.Participant p0 = net.participants().get(0);
      ReportEvaluation again =
          ReportEvaluation.newBuilder()
              .setJobId(job.getJobId())
              .setRound(2)
              .setAggregateHash(last.getCommit().getAggregateHash())
              .setSampleCount(1)
              .addMetrics(Metric.newBuilder().setName(ChainMetrics.ACCURACY).setValue(1))
              .build();
      assertThatThrownBy(() -> send(p0, again))
          .hasMessageContaining("already reported its evaluation of round 2");
      assertThatThrownBy(() -> send(p0, again.toBuilder().setRound(3).build()))
          .hasMessageContaining("training rounds 1 to 2");
      assertThat(chain.round(jobId, 2).orElseThrow()).isEqualTo(last);
    }
  }

  private static void send(TrainingNetwork.Participant p, ReportEvaluation m) throws Exception {
    p.tx()
        .sendAndWait(
            TrainingMessages.MODULE, TrainingMessages.REPORT_EVALUATION, m, Duration.ofSeconds(30));
  }

  /** The sample-weighted mean per metric name, rounded half up, written out independently. */
  private static List<Metric> weightedMean(List<OwnerEvaluation> evaluations) {
    TreeMap<String, BigInteger[]> sums = new TreeMap<>();
    for (OwnerEvaluation e : evaluations) {
      for (Metric m : e.getMetricsList()) {
        BigInteger[] s =
            sums.computeIfAbsent(
                m.getName(), k -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
        s[0] = s[0].add(BigInteger.valueOf(m.getValue() * e.getSampleCount()));
        s[1] = s[1].add(BigInteger.valueOf(e.getSampleCount()));
      }
    }
    List<Metric> out = new ArrayList<>();
    sums.forEach(
        (name, s) -> {
          // floor(sum / weight + 1/2)
          BigInteger twice = s[0].shiftLeft(1).add(s[1]);
          BigInteger[] qr = twice.divideAndRemainder(s[1].shiftLeft(1));
          long mean = qr[0].longValueExact() - (qr[1].signum() < 0 ? 1 : 0);
          out.add(Metric.newBuilder().setName(name).setValue(mean).build());
        });
    return out;
  }

  private static List<Metric> awaitMetrics(TrainingState chain, Hash jobId, long r)
      throws InterruptedException {
    await(
        Duration.ofSeconds(30),
        "round " + r + "'s central metrics",
        () -> chain.round(jobId, r).orElseThrow().getCommit().getMetricsCount() > 0);
    return chain.round(jobId, r).orElseThrow().getCommit().getMetricsList();
  }

  private static void await(Duration timeout, String what, BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }
}
