package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.nio.file.Path;
import java.util.List;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.core.proto.training.SubmitUpdate;
import org.fedledger.ledger.BlockResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that asks for federated standardization runs a statistics step, round 0, before round 1:
 * every owner reports, the aggregator commits the combination, validators attest it.
 */
class StatisticsStepTest {
  private static final ByteString COMBINED = TrainingNet.hashBytes("combined statistics");

  @TempDir Path dir;
  private TrainingNet net;
  private JobDriver d;
  private Hash id;

  @BeforeEach
  void startAStandardizingJob() {
    net = new TrainingNet(dir);
    d = new JobDriver(net);
    id = d.createAndJoin(TrainingNet.job(2, 3, 30_000).setStandardize(true).build(), 1, 2, 3, 4);
    d.start();
  }

  @AfterEach
  void close() {
    net.close();
  }

  /** A commit of round 0 accepting every report, without scores or metrics. */
  private CommitRound statisticsCommit(ByteString combined) {
    CommitRound.Builder c =
        CommitRound.newBuilder()
            .setJobId(d.id())
            .setRound(0)
            .setAggregateHash(combined)
            .setBlobLocation("http://aggregator/blobs/statistics");
    for (Submission s : d.round(0).getSubmissionsList()) {
      c.addAccepted(s.getUpdateHash());
    }
    return c.build();
  }

  private Receipt rejected(int sender, String type, Message m, String text) {
    Snapshot before = Snapshot.of(net, id);
    long nonce = net.ledger().account(TrainingNet.address(sender)).nonce();
    Receipt r = net.send(sender, "training", type, m);
    assertThat(r.getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(r.getError()).contains(text);
    assertThat(r.getEventsList()).isEmpty();
    assertThat(Snapshot.of(net, id)).isEqualTo(before);
    assertThat(net.ledger().account(TrainingNet.address(sender)).nonce()).isEqualTo(nonce + 1);
    return r;
  }

  @Test
  void theStatisticsStepRunsFirstWithEveryOwnerAndItsAttestedHashOpensRoundOne() {
    assertThat(net.job(id).getCurrentRound()).isZero();
    Round statistics = d.round(0);
    assertThat(statistics.getStatus()).isEqualTo(RoundStatus.ROUND_OPEN);
    assertThat(statistics.getSelectedList())
        .containsExactlyInAnyOrderElementsOf(net.job(id).getParticipantsList());
    long escrow = net.job(id).getEscrowRemaining();

    d.submitAll(0);
    net.ok(d.aggregator(0), "training", "CommitRound", statisticsCommit(COMBINED));
    BlockResult last = d.attestAll(0, COMBINED);

    assertThat(d.round(0).getStatus()).isEqualTo(RoundStatus.ROUND_FINAL);
    assertThat(d.round(0).getPayoutsList()).isEmpty();
    assertThat(net.job(id).getStatisticsHash()).isEqualTo(COMBINED);
    assertThat(net.job(id).getEscrowRemaining()).isEqualTo(escrow);
    assertThat(net.job(id).getCurrentRound()).isEqualTo(1);
    assertThat(d.round(1).getStatus()).isEqualTo(RoundStatus.ROUND_OPEN);
    assertThat(d.round(1).getSelectedCount()).isEqualTo(3);
    List<Event> events = last.receipts().get(0).getEventsList();
    assertThat(events)
        .extracting(Event::getType)
        .containsSubsequence(
            TrainingEvents.ROUND_FINALIZED,
            TrainingEvents.STATISTICS_ATTESTED,
            TrainingEvents.ROUND_OPENED);

    // The training rounds then run and pay exactly as in a job without the step.
    d.playRound(1, 300_000, 300_000);
    d.playRound(2, 300_000, 300_000);
    assertThat(net.job(id).getEscrowRemaining()).isZero();
    assertThat(net.model(id.toHex())).isPresent();
  }

  @Test
  void aReportFromANonParticipantIsRefused() {
    rejected(6, "SubmitUpdate", d.submission(0, 6), "is not selected for round 0");
  }

  @Test
  void aSecondReportFromTheSameOwnerIsRefused() {
    net.ok(1, "training", "SubmitUpdate", d.submission(0, 1));
    SubmitUpdate again =
        d.submission(0, 1).toBuilder().setUpdateHash(TrainingNet.hashBytes("other")).build();
    rejected(1, "SubmitUpdate", again, "already submitted an update for round 0");
  }

  @Test
  void malformedReportsAreRefused() {
    SubmitUpdate good = d.submission(0, 1);
    rejected(
        1,
        "SubmitUpdate",
        good.toBuilder().setUpdateHash(good.getUpdateHash().substring(0, 31)).build(),
        "update_hash");
    rejected(1, "SubmitUpdate", good.toBuilder().setSampleCount(0).build(), "sample_count");
    rejected(1, "SubmitUpdate", good.toBuilder().setSampleCount(601).build(), "sample_count");
    rejected(1, "SubmitUpdate", good.toBuilder().setBlobLocation("").build(), "blob_location");
  }

  @Test
  void aStatisticsCommitThatRejectsAnInvalidReportFinalizesWithTheOthersAndSlashesIt() {
    d.submitAll(0);
    CommitRound all = statisticsCommit(COMBINED);
    Submission bad = d.round(0).getSubmissions(0);
    CommitRound rejecting =
        all.toBuilder()
            .clearAccepted()
            .addAllAccepted(all.getAcceptedList().subList(1, all.getAcceptedCount()))
            .addRejected(
                Rejection.newBuilder()
                    .setUpdateHash(bad.getUpdateHash())
                    .setReason("not feature statistics"))
            .build();
    long escrow = net.job(id).getEscrowRemaining();
    net.ok(d.aggregator(0), "training", "CommitRound", rejecting);
    d.attestAll(0, COMBINED);

    Round statistics = d.round(0);
    assertThat(statistics.getStatus()).isEqualTo(RoundStatus.ROUND_FINAL);
    assertThat(net.job(id).getStatisticsHash()).isEqualTo(COMBINED);
    assertThat(net.job(id).getCurrentRound()).isEqualTo(1);
    assertThat(net.job(id).getEscrowRemaining()).isEqualTo(escrow);
    assertThat(statistics.getSlashesList()).hasSize(1);
    assertThat(statistics.getSlashes(0).getAccount()).isEqualTo(bad.getParticipant());
    assertThat(statistics.getSlashes(0).getAmount()).isPositive();
    assertThat(statistics.getSlashes(0).getReason()).contains("not feature statistics");
    ParticipantRecord record =
        net.query(q -> net.training().participant(q, id, Address.of(bad.getParticipant())))
            .orElseThrow();
    assertThat(record.getRejected()).isEqualTo(1);
    assertThat(record.getSlashed()).isEqualTo(statistics.getSlashes(0).getAmount());
  }

  @Test
  void aStatisticsCommitWithRejectionsIsCheckedAsATrainingCommitIs() {
    d.submitAll(0);
    int aggregator = d.aggregator(0);
    CommitRound all = statisticsCommit(COMBINED);
    rejected(
        aggregator,
        "CommitRound",
        all.toBuilder()
            .clearAccepted()
            .addAllAccepted(all.getAcceptedList().subList(1, all.getAcceptedCount()))
            .addRejected(Rejection.newBuilder().setUpdateHash(all.getAccepted(0)))
            .build(),
        "needs a reason");
    rejected(
        aggregator,
        "CommitRound",
        all.toBuilder()
            .clearAccepted()
            .addRejected(Rejection.newBuilder().setUpdateHash(all.getAccepted(0)).setReason("x"))
            .build(),
        "is neither");
  }

  @Test
  void aStatisticsCommitWithScoresOrMetricsIsRefused() {
    d.submitAll(0);
    int aggregator = d.aggregator(0);
    CommitRound all = statisticsCommit(COMBINED);
    String reason = "is neither scored nor measured";
    rejected(
        aggregator,
        "CommitRound",
        all.toBuilder()
            .addScores(
                Score.newBuilder()
                    .setParticipant(d.round(0).getSubmissions(0).getParticipant())
                    .setPpm(1_000_000))
            .build(),
        reason);
    rejected(
        aggregator,
        "CommitRound",
        all.toBuilder().addMetrics(Metric.newBuilder().setName("accuracy_ppm").setValue(1)).build(),
        reason);
  }

  @Test
  void aStatisticsHashAQuorumDisagreesWithIsDroppedAsAnAggregateWouldBe() {
    d.submitAll(0);
    int liar = d.aggregator(0);
    net.ok(liar, "training", "CommitRound", statisticsCommit(TrainingNet.hashBytes("skewed")));
    d.attestAll(0, COMBINED);
    Round round = d.round(0);
    assertThat(round.getStatus()).isEqualTo(RoundStatus.ROUND_OPEN);
    assertThat(round.getFailedAggregatorsList()).containsExactly(TrainingNet.bytes(liar));
    assertThat(net.job(id).getStatisticsHash()).isEmpty();
    assertThat(net.job(id).getCurrentRound()).isZero();
  }
}
