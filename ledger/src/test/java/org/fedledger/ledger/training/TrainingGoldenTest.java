package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.staking.Bond;
import org.fedledger.core.proto.training.Advance;
import org.fedledger.core.proto.training.CancelJob;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.core.proto.training.ReportMetrics;
import org.fedledger.core.proto.training.StartJob;
import org.fedledger.core.proto.training.WithdrawEscrow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the training contract's output: a whole job (and a cancelled one) is driven through the real
 * Ledger, and every block's state root, block hash and receipts (SHA-256 of each receipt's
 * encoding) must equal the values recorded in {@code training/golden-blocks.txt} from the contract
 * as it was before it was reorganized. A code move keeps them byte-identical; a rule change shows
 * up here and must be a deliberate new recording.
 *
 * <p>To record anew (only for a deliberate rule change): run with {@code
 * -Dfedledger.golden.write=/path/to/golden-blocks.txt} and replace the resource.
 */
class TrainingGoldenTest {
  private static final String RESOURCE = "/training/golden-blocks.txt";

  @TempDir Path dir;

  private final List<String> lines = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final Set<String> trainingEvents = new TreeSet<>();

  @Test
  void aWholeJobGivesTheRecordedReceiptsAndStateRoots() throws IOException {
    try (TrainingNet net = new TrainingNet(dir)) {
      play(net);
      recordChain(net);
    }
    String actual = String.join("\n", lines) + "\n";
    String written = System.getProperty("fedledger.golden.write");
    if (written != null) {
      Files.writeString(Path.of(written), actual, StandardCharsets.UTF_8);
    }
    // The scenario really goes through each refusal it means to (not a silent success).
    assertThat(errors).hasSize(8);
    assertThat(trainingEvents)
        .contains(
            "JobCreated",
            "ParticipantJoined",
            "JobStarted",
            "JobCancelled",
            "RoundOpened",
            "RoundReopened",
            "UpdateSubmitted",
            "RoundCommitted",
            "RoundAttested",
            "CommitRejected",
            "RoundMetricsReported",
            "RewardPaid",
            "ParticipantSlashed",
            "RoundFinalized",
            "JobCompleted",
            "EscrowWithdrawn");
    assertThat(actual).isEqualTo(expected());
  }

  private static String expected() throws IOException {
    try (InputStream in = TrainingGoldenTest.class.getResourceAsStream(RESOURCE)) {
      assertThat(in).as("resource %s", RESOURCE).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void play(TrainingNet net) {
    JobDriver d = new JobDriver(net);
    List<SignedTransaction> bonds = new ArrayList<>();
    for (int v : TrainingNet.validatorIds()) {
      bonds.add(net.tx(v, "staking", "Bond", Bond.newBuilder().setAmount(100_000).build()));
    }
    net.block(bonds);

    // Job 1: three rounds of three among four, at least two updates a round.
    Hash id = d.createAndJoin(TrainingNet.job(3, 3, 90_000).setMinUpdates(2).build(), 1, 2, 3, 4);

    // Job 2 by sponsor 5: created, joined by nobody, cancelled; refusals on the way.
    SignedTransaction create2 =
        net.tx(5, "training", "CreateJob", TrainingNet.job(1, 1, 1_000).build());
    net.block(
        create2,
        net.tx(
            6,
            "training",
            "JoinJob",
            JoinJob.newBuilder()
                .setJobId(TrainingNet.jobId(create2).toByteString())
                .setDatasetId("no-such-dataset")
                .setStake(JobDriver.STAKE)
                .build()));
    ByteString id2 = TrainingNet.jobId(create2).toByteString();
    net.block(net.tx(1, "training", "StartJob", StartJob.newBuilder().setJobId(id2).build()));
    net.block(net.tx(5, "training", "CancelJob", CancelJob.newBuilder().setJobId(id2).build()));

    net.block(net.tx(0, "training", "StartJob", StartJob.newBuilder().setJobId(d.id()).build()));

    // Round 1: an unselected participant is refused; one update only, so the round reopens.
    int unselected = unselected(d, 1);
    net.block(net.tx(unselected, "training", "SubmitUpdate", d.submission(1, unselected)));
    int first = TrainingNet.idOf(d.round(1).getSelected(0));
    net.block(net.tx(first, "training", "SubmitUpdate", d.submission(1, first)));
    net.advanceTo(d.round(1).getUpdateDeadline());
    net.block(net.tx(7, "training", "Advance", advance(d)));
    assertThat(d.round(1).getReopenCount()).isEqualTo(1);
    // The reopened round: everyone submits; a validator that is not the aggregator cannot commit.
    submitAll(net, d, 1);
    ByteString aggregate1 = TrainingNet.hashBytes("aggregate:1");
    CommitRound commit1 =
        d.commit(1, aggregate1, List.of(), 300_000, 300_000).toBuilder().clearMetrics().build();
    int aggregator1 = d.aggregator(1);
    int notAggregator = otherValidator(aggregator1);
    net.block(net.tx(notAggregator, "training", "CommitRound", commit1));
    net.block(net.tx(aggregator1, "training", "CommitRound", commit1));
    List<Integer> attesters1 = d.attesters(1);
    net.block(net.tx(attesters1.get(0), "training", "AttestRound", d.attestation(1, aggregate1)));
    net.block(net.tx(attesters1.get(0), "training", "AttestRound", d.attestation(1, aggregate1)));
    net.block(net.tx(attesters1.get(1), "training", "AttestRound", d.attestation(1, aggregate1)));
    // Metrics after finalization, once; a second report is refused.
    ReportMetrics metrics =
        ReportMetrics.newBuilder()
            .setJobId(d.id())
            .setRound(1)
            .setAggregateHash(aggregate1)
            .addMetrics(Metric.newBuilder().setName("accuracy_ppm").setValue(811_000))
            .build();
    net.block(net.tx(aggregator1, "training", "ReportMetrics", metrics));
    net.block(net.tx(aggregator1, "training", "ReportMetrics", metrics));

    // Round 2: the aggregator lets its commit window pass and is slashed; the next one commits a
    // round that rejects (and slashes) one update.
    submitAll(net, d, 2);
    net.advanceTo(d.round(2).getCommitDeadline());
    // Its blocks have passed, not yet its minimum time, which starts with this Advance (blocks
    // here are 1 s apart): the aggregator is replaced 30 blocks later.
    net.block(net.tx(7, "training", "Advance", advance(d)));
    assertThat(d.round(2).getFailedAggregatorsCount()).isZero();
    net.advanceTo(net.ledger().height() + 29);
    net.block(net.tx(7, "training", "Advance", advance(d)));
    assertThat(d.round(2).getFailedAggregatorsCount()).isEqualTo(1);
    int rejected = TrainingNet.idOf(d.round(2).getSubmissions(0).getParticipant());
    ByteString aggregate2 = TrainingNet.hashBytes("aggregate:2");
    net.block(
        net.tx(
            d.aggregator(2),
            "training",
            "CommitRound",
            d.commit(2, aggregate2, List.of(rejected), 400_000)));
    attestAll(net, d, 2, aggregate2);

    // Round 3: a commit the attesters disagree with is rejected; the next aggregator's holds and
    // completes the job, registering the model.
    submitAll(net, d, 3);
    ByteString wrong = TrainingNet.hashBytes("poisoned aggregate");
    ByteString right = TrainingNet.hashBytes("aggregate:3");
    net.block(
        net.tx(
            d.aggregator(3),
            "training",
            "CommitRound",
            d.commit(3, wrong, List.of(), 200_000, 300_000)));
    attestAll(net, d, 3, right);
    net.block(
        net.tx(
            d.aggregator(3),
            "training",
            "CommitRound",
            d.commit(3, right, List.of(), 200_000, 300_000)));
    attestAll(net, d, 3, right);
    assertThat(net.job(id).getStatus()).isEqualTo(JobStatus.JOB_COMPLETED);
    assertThat(net.model(id.toHex())).isPresent();

    // After completion: a submission is refused; extra tokens sent to the escrow are withdrawn.
    net.block(net.tx(first, "training", "SubmitUpdate", d.submission(3, first)));
    net.block(
        net.tx(
            7,
            "bank",
            "Transfer",
            Transfer.newBuilder()
                .setTo(TrainingModule.escrowAccount(id).toByteString())
                .setAmount(123)
                .build()));
    net.block(
        net.tx(
            0, "training", "WithdrawEscrow", WithdrawEscrow.newBuilder().setJobId(d.id()).build()));
    net.block(
        net.tx(
            0, "training", "WithdrawEscrow", WithdrawEscrow.newBuilder().setJobId(d.id()).build()));
  }

  private static Advance advance(JobDriver d) {
    return Advance.newBuilder().setJobId(d.id()).build();
  }

  private static int unselected(JobDriver d, long r) {
    for (int p = 1; p <= 4; p++) {
      if (!d.round(r).getSelectedList().contains(TrainingNet.bytes(p))) {
        return p;
      }
    }
    throw new IllegalStateException("all four selected");
  }

  private static int otherValidator(int v) {
    for (int o : TrainingNet.validatorIds()) {
      if (o != v) {
        return o;
      }
    }
    throw new IllegalStateException();
  }

  private void submitAll(TrainingNet net, JobDriver d, long r) {
    List<SignedTransaction> txs = new ArrayList<>();
    for (ByteString p : d.round(r).getSelectedList()) {
      int id = TrainingNet.idOf(p);
      boolean in =
          d.round(r).getSubmissionsList().stream().anyMatch(s -> s.getParticipant().equals(p));
      if (!in) {
        txs.add(net.tx(id, "training", "SubmitUpdate", d.submission(r, id)));
      }
    }
    net.block(txs);
  }

  private void attestAll(TrainingNet net, JobDriver d, long r, ByteString aggregate) {
    for (int v : d.attesters(r)) {
      net.block(net.tx(v, "training", "AttestRound", d.attestation(r, aggregate)));
    }
  }

  /** One line per block: height, state root, block hash and each receipt's SHA-256. */
  private void recordChain(TrainingNet net) {
    for (long h = 1; h <= net.ledger().height(); h++) {
      BlockHeader header = net.ledger().headerByHeight(h).orElseThrow();
      StringBuilder s = new StringBuilder();
      s.append("h=").append(h).append(" root=").append(Hash.of(header.getStateRoot()).toHex());
      s.append(" block=").append(Sha256.hash(header.toByteArray()).toHex());
      for (Receipt r : net.ledger().receipts(h)) {
        s.append(" receipt=").append(Sha256.hash(r.toByteArray()).toHex());
        for (Event e : r.getEventsList()) {
          if (e.getModule().equals("training")) {
            trainingEvents.add(e.getType());
          }
        }
        if (r.getStatus() != ReceiptStatus.OK) {
          errors.add(h + ": " + r.getError());
        }
      }
      lines.add(s.toString());
    }
  }
}
