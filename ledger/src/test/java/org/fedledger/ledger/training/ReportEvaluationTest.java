package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.OwnerEvaluation;
import org.fedledger.core.proto.training.ReportEvaluation;
import org.fedledger.core.proto.training.Round;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReportEvaluation: each owner a final round selected reports, once, the metrics of the round's
 * aggregate on its local test split; the round keeps the reports and their sample-weighted mean.
 * Every other sender, round, aggregate, count or metric list is refused and changes nothing.
 */
class ReportEvaluationTest {
  @TempDir Path dir;
  private TrainingNet net;
  private JobDriver d;
  private Hash id;
  private ByteString aggregate1;

  @BeforeEach
  void aJobWithALocalTestSplitAndAFinalFirstRound() {
    net = new TrainingNet(dir.resolve("net"));
    d = new JobDriver(net);
    // Four owners, three a round, so that round 1 leaves one out; windows long enough for a
    // test's refused transactions (a block each) not to end round 2.
    CreateJob job =
        TrainingNet.job(2, 3, 90_000)
            .setRoundBlocks(100)
            .setCommitBlocks(100)
            .setTestFractionPpm(200_000)
            .build();
    id = d.createAndJoin(job, 1, 2, 3, 4);
    d.start();
    d.playRound(1, 300_000, 300_000);
    aggregate1 = TrainingNet.hashBytes("aggregate:1");
  }

  @AfterEach
  void close() {
    net.close();
  }

  private List<Integer> selected(long r) {
    List<Integer> out = new ArrayList<>();
    for (ByteString p : d.round(r).getSelectedList()) {
      out.add(TrainingNet.idOf(p));
    }
    return out;
  }

  private int notSelected(long r) {
    List<Integer> selected = selected(r);
    for (int p = 1; p <= 4; p++) {
      if (!selected.contains(p)) {
        return p;
      }
    }
    throw new IllegalStateException("every owner was selected");
  }

  private static Metric metric(String name, long value) {
    return Metric.newBuilder().setName(name).setValue(value).build();
  }

  private ReportEvaluation report(long r, ByteString aggregate, long samples, Metric... metrics) {
    return ReportEvaluation.newBuilder()
        .setJobId(d.id())
        .setRound(r)
        .setAggregateHash(aggregate)
        .setSampleCount(samples)
        .addAllMetrics(List.of(metrics))
        .build();
  }

  private ReportEvaluation good(long samples) {
    return report(1, aggregate1, samples, metric("accuracy_ppm", 800_000));
  }

  /** Refused with text in the error; round 1, the current round and every balance unchanged. */
  private void refused(int sender, ReportEvaluation m, String text) {
    Snapshot before = Snapshot.of(net, id);
    Round round1 = d.round(1);
    Receipt r = net.send(sender, "training", "ReportEvaluation", m);
    assertThat(r.getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(r.getError()).contains(text);
    assertThat(r.getEventsList()).isEmpty();
    assertThat(Snapshot.of(net, id)).isEqualTo(before);
    assertThat(d.round(1)).isEqualTo(round1);
  }

  @Test
  void everySelectedOwnersReportIsKeptAndTheRoundsMetricsAreTheirSampleWeightedMean() {
    List<Integer> owners = selected(1);
    net.ok(
        owners.get(0),
        "training",
        "ReportEvaluation",
        report(1, aggregate1, 100, metric("accuracy_ppm", 900_000), metric("auc_ppm", 950_000)));
    net.ok(
        owners.get(1),
        "training",
        "ReportEvaluation",
        report(1, aggregate1, 50, metric("accuracy_ppm", 600_000), metric("auc_ppm", 700_000)));
    // A split with one class has no AUC: its accuracy counts, and the AUC mean is over the others.
    Receipt last =
        net.ok(
            owners.get(2),
            "training",
            "ReportEvaluation",
            report(1, aggregate1, 30, metric("accuracy_ppm", 500_001)));

    Round round = d.round(1);
    assertThat(round.getEvaluationsList())
        .extracting(OwnerEvaluation::getParticipant)
        .containsExactly(
            TrainingNet.bytes(owners.get(0)),
            TrainingNet.bytes(owners.get(1)),
            TrainingNet.bytes(owners.get(2)));
    // accuracy: (100·900000 + 50·600000 + 30·500001) / 180 = 750000.1666 -> 750000
    // auc: (100·950000 + 50·700000) / 150 = 866666.666 -> 866667
    assertThat(round.getFederatedMetricsList())
        .containsExactly(metric("accuracy_ppm", 750_000), metric("auc_ppm", 866_667));
    Event event = last.getEventsList().get(last.getEventsCount() - 1);
    assertThat(event.getType()).isEqualTo(TrainingEvents.EVALUATION_REPORTED);
    assertThat(event.getAttributesList())
        .anySatisfy(
            a -> {
              assertThat(a.getKey()).isEqualTo(TrainingEvents.Attributes.FEDERATED_METRICS);
              assertThat(a.getValue()).isEqualTo("accuracy_ppm=750000,auc_ppm=866667");
            });
  }

  @Test
  void anOwnerTheRoundDidNotSelectIsRefused() {
    refused(notSelected(1), good(10), "was not selected for round 1");
    refused(6, good(10), "was not selected for round 1");
  }

  @Test
  void aSecondReportFromTheSameOwnerIsRefused() {
    int owner = selected(1).get(0);
    net.ok(owner, "training", "ReportEvaluation", good(10));
    refused(owner, good(20), "already reported its evaluation of round 1");
  }

  @Test
  void anEvaluationOfAnotherAggregateIsRefused() {
    int owner = selected(1).get(0);
    refused(
        owner,
        report(1, TrainingNet.hashBytes("aggregate:x"), 10, metric("accuracy_ppm", 1)),
        "evaluate the committed one");
    refused(
        owner,
        report(1, aggregate1.substring(0, 31), 10, metric("accuracy_ppm", 1)),
        "aggregate_hash must be 32 bytes");
  }

  @Test
  void anEvaluationForTheWrongRoundIsRefused() {
    int owner = selected(1).get(0);
    refused(owner, report(0, aggregate1, 10, metric("accuracy_ppm", 1)), "training rounds 1 to 2");
    refused(owner, report(3, aggregate1, 10, metric("accuracy_ppm", 1)), "training rounds 1 to 2");
    // Round 2 is open: it has no final aggregate to evaluate yet.
    int owner2 = selected(2).get(0);
    refused(owner2, report(2, aggregate1, 10, metric("accuracy_ppm", 1)), "is not final yet");
  }

  @Test
  void malformedReportsAreRefused() {
    int owner = selected(1).get(0);
    refused(owner, good(0), "sample_count");
    refused(owner, good(601), "sample_count");
    refused(owner, report(1, aggregate1, 10), "report at least one metric");
    refused(
        owner,
        report(1, aggregate1, 10, metric("loss_micro", 1), metric("accuracy_ppm", 1)),
        "sorted by name");
    refused(owner, report(1, aggregate1, 10, metric("Accuracy", 1)), "must match");
  }

  @Test
  void aJobWithoutALocalTestSplitTakesNoEvaluations() {
    try (TrainingNet other = new TrainingNet(dir.resolve("other"))) {
      JobDriver od = new JobDriver(other);
      Hash otherId = od.createAndJoin(TrainingNet.job(1, 3, 30_000).build(), 1, 2, 3);
      od.start();
      od.playRound(1, 300_000, 300_000);
      Receipt r =
          other.send(
              1,
              "training",
              "ReportEvaluation",
              ReportEvaluation.newBuilder()
                  .setJobId(od.id())
                  .setRound(1)
                  .setAggregateHash(TrainingNet.hashBytes("aggregate:1"))
                  .setSampleCount(10)
                  .addMetrics(metric("accuracy_ppm", 1))
                  .build());
      assertThat(r.getStatus()).isEqualTo(ReceiptStatus.FAILED);
      assertThat(r.getError()).contains("names no local test split");
      assertThat(other.round(otherId, 1).getEvaluationsList()).isEmpty();
    }
  }

  @Test
  void aTestFractionOfTheWholeDatasetIsRefusedAtCreation() {
    Receipt r =
        net.send(
            0,
            "training",
            "CreateJob",
            TrainingNet.job(1, 3, 30_000).setTestFractionPpm(1_000_000).build());
    assertThat(r.getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(r.getError()).contains("test_fraction_ppm");
  }
}
