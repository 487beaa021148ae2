package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.learning.data.DatasetReader;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.SchemaInference;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.stats.FeatureStatistics;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.train.OptimizerKind;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.node.testing.TrainingNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round 0 with a report that cannot be combined, on real validators: one owner's table has two
 * features where the job's model takes three (the job names no schema, so nothing refused the
 * dataset at JoinJob), so its statistics blob has the wrong shape. The aggregator rejects that
 * report in the statistics commit, the verifiers re-run the same choice and attest it, the step
 * finalizes with the other owners' statistics, the owner is slashed as for a rejected update, and
 * the training rounds go on without it. Before this rule the step waited for ever.
 */
class InvalidStatisticsOnChainTest {
  @TempDir Path dir;

  /** A table of rows samples: the features named, each a Gaussian on its own scale, a class. */
  private static LabeledData table(Path csv, String header, int rows, long seed)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    int features = header.split(",", -1).length - 1;
    StringBuilder out = new StringBuilder(header).append('\n');
    for (int r = 0; r < rows; r++) {
      boolean sick = random.nextBoolean();
      double shift = sick ? 1 : -1;
      for (int j = 0; j < features; j++) {
        double scale = Math.pow(10, j);
        out.append(String.format(Locale.ROOT, "%.4f,", scale * (shift + random.nextGaussian())));
      }
      out.append(sick ? "sick" : "well").append('\n');
    }
    Files.writeString(csv, out);
    DatasetSchema schema = SchemaInference.infer(csv, List.of("outcome"), Optional.empty());
    return DatasetReader.read(csv, schema);
  }

  @Test
  @Timeout(240)
  void aWrongShapedStatisticsReportIsRejectedSlashedAndTheStepCompletesWithTheOthers()
      throws Exception {
    LabeledData good0 = table(dir.resolve("a.csv"), "x,y,z,outcome", 160, 1);
    LabeledData good1 = table(dir.resolve("b.csv"), "x,y,z,outcome", 200, 2);
    LabeledData narrow = table(dir.resolve("c.csv"), "x,y,outcome", 180, 3);
    DatasetSchema wide =
        SchemaInference.infer(dir.resolve("a.csv"), List.of("outcome"), Optional.empty());
    ModelSpec spec = ModelSpecs.preset("logreg", wide);
    List<TrainingNetwork.Owner> owners =
        List.of(
            new TrainingNetwork.Owner("p0", good0, null),
            new TrainingNetwork.Owner("p1", good1, null),
            new TrainingNetwork.Owner("narrow", narrow, null));
    JobOptions options =
        JobOptions.builder()
            .setModel(spec)
            .setRounds(1)
            .setParticipantsPerRound(3)
            .setStrategy("fedavg")
            .optMinUpdates(2)
            .optReward(1_000_000)
            .optStake(10_000)
            .optRoundBlocks(200)
            .optCommitBlocks(200)
            .optAttestQuorum(2)
            .build();
    TrainConfig train = new TrainConfig(1, 16, OptimizerKind.SGD, 0.1f, 0f);
    try (TrainingNetwork net =
        TrainingNetwork.start(dir.resolve("net"), 3, owners, 9, null, null, train)) {
      Hash jobId = net.createAndStartJob(options, b -> b.setStandardize(true));
      TrainingState chain = new TrainingState(net.ledger());
      await(
          Duration.ofSeconds(200),
          "the statistics step and round 1",
          () -> chain.job(jobId).orElseThrow().getStatus() == JobStatus.JOB_COMPLETED);
      Job job = chain.job(jobId).orElseThrow();
      Round statistics = chain.round(jobId, 0).orElseThrow();
      assertThat(statistics.getStatus()).isEqualTo(RoundStatus.ROUND_FINAL);
      assertThat(statistics.getSubmissionsCount()).isEqualTo(3);
      int narrowIndex = 2;
      Submission bad =
          statistics.getSubmissionsList().stream()
              .filter(s -> s.getParticipant().equals(job.getParticipants(narrowIndex)))
              .findFirst()
              .orElseThrow();
      assertThat(statistics.getCommit().getRejectedList())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getUpdateHash()).isEqualTo(bad.getUpdateHash());
                assertThat(r.getReason())
                    .isEqualTo("statistics of 2 features, but the job's model takes 3 inputs");
              });
      assertThat(statistics.getCommit().getAcceptedCount()).isEqualTo(2);
      // The job standardizes with the two valid owners' statistics, combined in member order.
      FeatureStatistics expected =
          FeatureStatistics.combine(
              List.of(
                  OwnerJobData.of(job, good0, 0).statistics(),
                  OwnerJobData.of(job, good1, 1).statistics()));
      assertThat(Hash.of(job.getStatisticsHash())).isEqualTo(expected.hash());
      // Slashed as a rejected update is; the others are not.
      assertThat(statistics.getSlashesList())
          .singleElement()
          .satisfies(s -> assertThat(s.getAccount()).isEqualTo(job.getParticipants(narrowIndex)));
      ParticipantRecord narrowRecord =
          chain.participant(jobId, Address.of(job.getParticipants(narrowIndex))).orElseThrow();
      assertThat(narrowRecord.getRejected()).isEqualTo(1);
      assertThat(narrowRecord.getSlashed()).isPositive();
      // Round 1 ran with the two owners whose data fits the model.
      Round one = chain.round(jobId, 1).orElseThrow();
      assertThat(one.getStatus()).isEqualTo(RoundStatus.ROUND_FINAL);
      assertThat(one.getCommit().getAcceptedCount()).isEqualTo(2);
      assertThat(job.getModelId()).isNotEmpty();
    }
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
