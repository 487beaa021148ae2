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
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.registry.RoundLineage;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.ReportMetrics;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReportMetrics: a round's committer adds metrics on its committed aggregate after the commit,
 * once, while the job runs; the round's commit and the model's lineage then carry them. Every other
 * sender, round, aggregate or metric list is refused and changes nothing.
 */
class ReportMetricsTest {
  @TempDir Path dir;
  private TrainingNet net;
  private JobDriver d;
  private Hash id;

  @BeforeEach
  void twoRoundJob() {
    net = new TrainingNet(dir);
    d = new JobDriver(net);
    // Windows long enough for a test's rejected transactions (a block each) not to end them.
    CreateJob job = TrainingNet.job(2, 3, 90_000).setRoundBlocks(100).setCommitBlocks(100).build();
    id = d.createAndJoin(job, 1, 2, 3);
    d.start();
  }

  @AfterEach
  void close() {
    net.close();
  }

  @Test
  void metricsReportedAfterTheCommitAreTheRoundsAndGoIntoTheModelsLineage() {
    ByteString agg1 = TrainingNet.hashBytes("aggregate:1");
    d.submitAll(1);
    net.ok(d.aggregator(1), "training", "CommitRound", commitWithoutMetrics(1, agg1));
    Receipt early = net.ok(d.aggregator(1), "training", "ReportMetrics", report(1, agg1, 612_000));
    assertThat(d.round(1).getCommit().getMetricsList()).isEqualTo(metrics(612_000));
    Event event = early.getEventsList().get(early.getEventsCount() - 1);
    assertThat(event.getType()).isEqualTo("RoundMetricsReported");
    assertThat(event.getAttributesList())
        .extracting(a -> a.getKey() + "=" + a.getValue())
        .contains("round=1", "metrics=accuracy_ppm=612000,loss_micro=400000");
    d.attestAll(1, agg1);

    // Round 2: the round finalizes first and its metrics come after, as the agents do it.
    ByteString agg2 = TrainingNet.hashBytes("aggregate:2");
    d.submitAll(2);
    net.ok(d.aggregator(2), "training", "CommitRound", commitWithoutMetrics(2, agg2));
    List<Integer> attesters = d.attesters(2);
    net.ok(attesters.get(0), "training", "AttestRound", d.attestation(2, agg2));
    // The last round's quorum completes the job, so the report must come before it.
    net.ok(d.aggregator(2), "training", "ReportMetrics", report(2, agg2, 640_000));
    net.ok(attesters.get(1), "training", "AttestRound", d.attestation(2, agg2));
    assertThat(d.round(2).getStatus()).isEqualTo(RoundStatus.ROUND_FINAL);

    Model model = net.model(id.toHex()).orElseThrow();
    assertThat(model.getRoundsList())
        .extracting(RoundLineage::getMetricsList)
        .containsExactly(metrics(612_000), metrics(640_000));
    assertThat(model.getMetricsList()).isEqualTo(metrics(640_000));
  }

  @Test
  void aFinalizedRoundTakesItsMetricsWhileTheJobRuns() {
    ByteString agg1 = TrainingNet.hashBytes("aggregate:1");
    d.submitAll(1);
    net.ok(d.aggregator(1), "training", "CommitRound", commitWithoutMetrics(1, agg1));
    d.attestAll(1, agg1);
    assertThat(d.round(1).getStatus()).isEqualTo(RoundStatus.ROUND_FINAL);
    assertThat(net.job(id).getCurrentRound()).isEqualTo(2);

    net.ok(d.aggregator(1), "training", "ReportMetrics", report(1, agg1, 612_000));

    assertThat(d.round(1).getCommit().getMetricsList()).isEqualTo(metrics(612_000));
    assertThat(d.round(1).getStatus()).isEqualTo(RoundStatus.ROUND_FINAL);
  }

  @Test
  void onlyTheCommitterReportsOnItsCommittedAggregateOnce() {
    ByteString agg1 = TrainingNet.hashBytes("aggregate:1");
    d.submitAll(1);
    int aggregator = d.aggregator(1);
    rejected(aggregator, report(1, agg1, 612_000), "INVALID_MESSAGE", "has no commit");
    net.ok(aggregator, "training", "CommitRound", commitWithoutMetrics(1, agg1));

    int attester = d.attesters(1).get(0);
    rejected(attester, report(1, agg1, 612_000), "UNAUTHORIZED", "committer");
    rejected(1, report(1, agg1, 612_000), "UNAUTHORIZED", "committer");
    rejected(
        aggregator,
        report(1, TrainingNet.hashBytes("other"), 612_000),
        "INVALID_MESSAGE",
        "committed aggregate");
    rejected(
        aggregator,
        report(1, ByteString.copyFrom(new byte[31]), 612_000),
        "INVALID_MESSAGE",
        "aggregate_hash must be 32 bytes");
    rejected(aggregator, report(2, agg1, 612_000), "INVALID_MESSAGE", "is in round 1");
    rejected(aggregator, report(0, agg1, 612_000), "INVALID_MESSAGE", "is in round 1");

    net.ok(aggregator, "training", "ReportMetrics", report(1, agg1, 612_000));
    rejected(aggregator, report(1, agg1, 700_000), "INVALID_MESSAGE", "reported once");
  }

  @Test
  void aCommitThatCarriedMetricsTakesNoMore() {
    ByteString agg1 = TrainingNet.hashBytes("aggregate:1");
    d.submitAll(1);
    net.ok(
        d.aggregator(1), "training", "CommitRound", d.commit(1, agg1, List.of(), 400_000, 300_000));
    rejected(d.aggregator(1), report(1, agg1, 612_000), "INVALID_MESSAGE", "already has metrics");
  }

  @Test
  void malformedMetricListsAreRefused() {
    ByteString agg1 = TrainingNet.hashBytes("aggregate:1");
    d.submitAll(1);
    int aggregator = d.aggregator(1);
    net.ok(aggregator, "training", "CommitRound", commitWithoutMetrics(1, agg1));

    ReportMetrics none = report(1, agg1, 1).toBuilder().clearMetrics().build();
    rejected(aggregator, none, "INVALID_MESSAGE", "at least one metric");
    ReportMetrics unsorted =
        none.toBuilder()
            .addMetrics(metric("loss_micro", 1))
            .addMetrics(metric("accuracy_ppm", 1))
            .build();
    rejected(aggregator, unsorted, "INVALID_MESSAGE", "sorted by name");
    ReportMetrics twice =
        none.toBuilder()
            .addMetrics(metric("accuracy_ppm", 1))
            .addMetrics(metric("accuracy_ppm", 2))
            .build();
    rejected(aggregator, twice, "INVALID_MESSAGE", "no name twice");
    ReportMetrics badName = none.toBuilder().addMetrics(metric("Accuracy", 1)).build();
    rejected(aggregator, badName, "INVALID_MESSAGE", "must match");
  }

  @Test
  void noReportOnceTheJobHasCompletedOrForAnUnknownJob() {
    d.playRound(1, 500_000, 300_000);
    d.playRound(2, 500_000, 300_000);
    assertThat(net.job(id).getStatus()).isEqualTo(JobStatus.JOB_COMPLETED);
    ByteString agg2 = TrainingNet.hashBytes("aggregate:2");
    rejected(d.aggregator(2), report(2, agg2, 612_000), "INVALID_MESSAGE", "completed");

    ReportMetrics unknown =
        report(1, agg2, 612_000).toBuilder().setJobId(TrainingNet.hashBytes("no job")).build();
    rejected(d.aggregator(2), unknown, "INVALID_MESSAGE", "no job");
  }

  /**
   * Sends m; asserts it failed with reason and text and changed nothing: the job, its rounds, its
   * participants, balances and stakes (only the sender's nonce moves).
   */
  private void rejected(int sender, ReportMetrics m, String reason, String text) {
    Snapshot before = Snapshot.of(net, id);
    List<Round> rounds = rounds();
    long nonce = net.ledger().account(TrainingNet.address(sender)).nonce();
    Receipt r = net.send(sender, "training", "ReportMetrics", m);
    assertThat(r.getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(r.getError()).startsWith(reason + ": ").contains(text);
    assertThat(r.getEventsList()).isEmpty();
    assertThat(Snapshot.of(net, id)).isEqualTo(before);
    assertThat(rounds()).isEqualTo(rounds);
    assertThat(net.ledger().account(TrainingNet.address(sender)).nonce()).isEqualTo(nonce + 1);
  }

  /** Every round the job has opened. */
  private List<Round> rounds() {
    List<Round> rounds = new ArrayList<>();
    for (long r = 1; r <= net.job(id).getCurrentRound(); r++) {
      rounds.add(d.round(r));
    }
    return rounds;
  }

  private CommitRound commitWithoutMetrics(long r, ByteString aggregate) {
    return d.commit(r, aggregate, List.of(), 400_000, 300_000).toBuilder().clearMetrics().build();
  }

  private ReportMetrics report(long r, ByteString aggregate, long accuracyPpm) {
    return ReportMetrics.newBuilder()
        .setJobId(d.id())
        .setRound(r)
        .setAggregateHash(aggregate)
        .addAllMetrics(metrics(accuracyPpm))
        .build();
  }

  private static List<Metric> metrics(long accuracyPpm) {
    return List.of(metric("accuracy_ppm", accuracyPpm), metric("loss_micro", 400_000));
  }

  private static Metric metric(String name, long value) {
    return Metric.newBuilder().setName(name).setValue(value).build();
  }
}
