package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.nio.file.Path;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.AttestRound;
import org.fedledger.core.proto.training.CancelJob;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.StartJob;
import org.fedledger.core.proto.training.WithdrawEscrow;
import org.fedledger.core.tx.TransactionCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad training message is refused with its reason in the receipt and changes nothing but its
 * sender's nonce.
 */
class TrainingRejectionsTest {
  @TempDir Path dir;
  private TrainingNet net;
  private JobDriver d;
  private Hash id;

  @BeforeEach
  void jobWithFourParticipantsThreePerRound() {
    net = new TrainingNet(dir);
    d = new JobDriver(net);
    id = d.createAndJoin(TrainingNet.job(2, 3, 90_000).setMinUpdates(1).build(), 1, 2, 3, 4);
  }

  @AfterEach
  void close() {
    net.close();
  }

  /** Sends m from sender; asserts it failed with reason and text, and changed nothing else. */
  private Receipt rejected(int sender, String type, Message m, String reason, String text) {
    Snapshot before = Snapshot.of(net, id);
    long nonce = net.ledger().account(TrainingNet.address(sender)).nonce();
    Receipt r = net.send(sender, "training", type, m);
    assertThat(r.getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(r.getError()).startsWith(reason + ": ").contains(text);
    assertThat(r.getEventsList()).isEmpty();
    assertThat(Snapshot.of(net, id)).isEqualTo(before);
    assertThat(net.ledger().account(TrainingNet.address(sender)).nonce()).isEqualTo(nonce + 1);
    return r;
  }

  private int unselected() {
    List<ByteString> selected = d.round(1).getSelectedList();
    for (int p = 1; p <= 4; p++) {
      if (!selected.contains(TrainingNet.bytes(p))) {
        return p;
      }
    }
    throw new AssertionError("all four selected for three places");
  }

  private int selected(int i) {
    return TrainingNet.idOf(d.round(1).getSelected(i));
  }

  private int nonAggregatorValidator() {
    for (int v : TrainingNet.validatorIds()) {
      if (v != d.aggregator(1)) {
        return v;
      }
    }
    throw new AssertionError();
  }

  @Test
  void submitFromAParticipantTheRoundDidNotSelectIsRejected() {
    d.start();
    int p = unselected();
    rejected(p, "SubmitUpdate", d.submission(1, p), "UNAUTHORIZED", "is not selected for round 1");
  }

  @Test
  void submitForAnotherRoundThanTheCurrentIsRejected() {
    d.start();
    rejected(
        selected(0),
        "SubmitUpdate",
        d.submission(2, selected(0)),
        "INVALID_MESSAGE",
        "is in round 1");
  }

  @Test
  void submitTwiceIsRejected() {
    d.start();
    int p = selected(0);
    net.ok(p, "training", "SubmitUpdate", d.submission(1, p));
    var second =
        d.submission(1, p).toBuilder().setUpdateHash(TrainingNet.hashBytes("other")).build();
    rejected(
        p, "SubmitUpdate", second, "INVALID_MESSAGE", "already submitted an update for round 1");
  }

  @Test
  void submitAfterTheUpdateDeadlineIsRejected() {
    d.start();
    net.ok(selected(0), "training", "SubmitUpdate", d.submission(1, selected(0)));
    net.advanceTo(d.round(1).getUpdateDeadline());
    rejected(
        selected(1),
        "SubmitUpdate",
        d.submission(1, selected(1)),
        "INVALID_MESSAGE",
        "closed for updates");
  }

  @Test
  void submitBeforeTheJobStartsIsRejected() {
    rejected(
        1, "SubmitUpdate", d.submission(1, 1), "INVALID_MESSAGE", "job " + id.toHex() + " is open");
  }

  @Test
  void commitByAnyoneButTheAggregatorIsRejected() {
    d.start();
    d.submitAll(1);
    CommitRound c = d.commit(1, TrainingNet.hashBytes("agg"), List.of(), 400_000, 300_000);
    rejected(nonAggregatorValidator(), "CommitRound", c, "UNAUTHORIZED", "aggregator");
    rejected(selected(0), "CommitRound", c, "UNAUTHORIZED", "aggregator");
  }

  @Test
  void commitWhileUpdatesAreStillExpectedIsRejected() {
    d.start();
    net.ok(selected(0), "training", "SubmitUpdate", d.submission(1, selected(0)));
    CommitRound c = d.commit(1, TrainingNet.hashBytes("agg"), List.of());
    rejected(d.aggregator(1), "CommitRound", c, "INVALID_MESSAGE", "takes updates until height");
  }

  @Test
  void commitWhoseScoresDoNotSumToOneMillionOrMissAnUpdateIsRejected() {
    d.start();
    d.submitAll(1);
    int agg = d.aggregator(1);
    CommitRound good = d.commit(1, TrainingNet.hashBytes("agg"), List.of(), 400_000, 300_000);
    CommitRound badSum =
        good.toBuilder().setScores(0, good.getScores(0).toBuilder().setPpm(400_001)).build();
    rejected(agg, "CommitRound", badSum, "INVALID_MESSAGE", "sum to exactly 1000000");
    CommitRound missing =
        good.toBuilder()
            .clearAccepted()
            .addAllAccepted(good.getAcceptedList().subList(1, 3))
            .build();
    rejected(agg, "CommitRound", missing, "INVALID_MESSAGE", "is neither");
    CommitRound stranger =
        good.toBuilder()
            .addScores(Score.newBuilder().setParticipant(TrainingNet.bytes(9)).setPpm(0))
            .build();
    rejected(agg, "CommitRound", stranger, "INVALID_MESSAGE", "no accepted update");
    CommitRound shortHash =
        good.toBuilder().setAggregateHash(ByteString.copyFrom(new byte[31])).build();
    rejected(agg, "CommitRound", shortHash, "INVALID_MESSAGE", "aggregate_hash must be 32 bytes");
    CommitRound shortState =
        good.toBuilder().setServerStateHash(ByteString.copyFrom(new byte[31])).build();
    rejected(
        agg,
        "CommitRound",
        shortState,
        "INVALID_MESSAGE",
        "server_state_hash must be empty or 32 bytes");
  }

  @Test
  void attestTwiceByTheAggregatorOrByANonValidatorIsRejected() {
    d.start();
    d.submitAll(1);
    ByteString agg = TrainingNet.hashBytes("agg");
    net.ok(
        d.aggregator(1), "training", "CommitRound", d.commit(1, agg, List.of(), 400_000, 300_000));
    int v = d.attesters(1).get(0);
    net.ok(v, "training", "AttestRound", d.attestation(1, agg));
    rejected(v, "AttestRound", d.attestation(1, agg), "INVALID_MESSAGE", "already attested");
    rejected(
        d.aggregator(1), "AttestRound", d.attestation(1, agg), "UNAUTHORIZED", "its own commit");
    rejected(5, "AttestRound", d.attestation(1, agg), "UNAUTHORIZED", "only validators attest");
    int other = d.attesters(1).get(1);
    AttestRound shortState =
        d.attestation(1, agg).toBuilder()
            .setServerStateHash(ByteString.copyFrom(new byte[5]))
            .build();
    rejected(
        other,
        "AttestRound",
        shortState,
        "INVALID_MESSAGE",
        "server_state_hash must be empty or 32 bytes");
  }

  @Test
  void attestWithoutACommitIsRejected() {
    d.start();
    rejected(
        1000,
        "AttestRound",
        d.attestation(1, TrainingNet.hashBytes("x")),
        "INVALID_MESSAGE",
        "no commit");
  }

  @Test
  void sponsorCannotWithdrawTheEscrowWhileTheJobRuns() {
    d.start();
    WithdrawEscrow w = WithdrawEscrow.newBuilder().setJobId(d.id()).build();
    rejected(0, "WithdrawEscrow", w, "INVALID_MESSAGE", "is running");
    rejected(1, "WithdrawEscrow", w, "UNAUTHORIZED", "only the sponsor");
  }

  @Test
  void joiningWithADatasetWhoseConsentDoesNotCoverTheJobsUseIsRejected() {
    net.ok(
        5,
        "registry",
        "RegisterDataset",
        TrainingNet.dataset("ds-5", 100, "research", "commercial"));
    rejected(
        5,
        "JoinJob",
        d.join(5, 5_000),
        "INVALID_MESSAGE",
        "does not consent to '" + TrainingNet.USE + "'");
  }

  @Test
  void joiningWithSomeoneElsesOrAnUnknownDatasetIsRejected() {
    var withOthers = d.join(5, 5_000).toBuilder().setDatasetId("ds-1").build();
    rejected(5, "JoinJob", withOthers, "UNAUTHORIZED", "is owned by");
    rejected(5, "JoinJob", d.join(5, 5_000), "INVALID_MESSAGE", "'ds-5' is not registered");
  }

  @Test
  void joiningTwiceIsRejected() {
    rejected(1, "JoinJob", d.join(1, 5_000), "INVALID_MESSAGE", "has already joined");
  }

  @Test
  void joiningWithTooLittleStakeOrMoreThanTheBalanceIsRejected() {
    net.ok(5, "registry", "RegisterDataset", TrainingNet.dataset("ds-5", 100, TrainingNet.USE));
    rejected(5, "JoinJob", d.join(5, 999), "INVALID_MESSAGE", "below the job's minimum of 1000");
    rejected(5, "JoinJob", d.join(5, TrainingNet.INITIAL + 1), "INSUFFICIENT_BALANCE", "cannot");
  }

  @Test
  void creatingAJobTheSponsorCannotFundOrWithAWrongSpecHashIsRejected() {
    Snapshot before = Snapshot.of(net, null);
    Receipt r =
        net.send(0, "training", "CreateJob", TrainingNet.job(1, 1, TrainingNet.INITIAL).build());
    assertThat(r.getError()).startsWith("INSUFFICIENT_BALANCE: cannot escrow the reward");
    CreateJob wrongHash = TrainingNet.job(1, 1, 10).setSpecHash(TrainingNet.hashBytes("x")).build();
    assertThat(net.send(0, "training", "CreateJob", wrongHash).getError())
        .startsWith("INVALID_MESSAGE: spec_hash");
    CreateJob noRounds = TrainingNet.job(0, 1, 10).build();
    assertThat(net.send(0, "training", "CreateJob", noRounds).getError())
        .startsWith("INVALID_MESSAGE: rounds must be between 1");
    CreateJob tooManyEpochs = TrainingNet.job(1, 1, 10).setLocalEpochs(101).build();
    assertThat(net.send(0, "training", "CreateJob", tooManyEpochs).getError())
        .startsWith("INVALID_MESSAGE: local_epochs must be between 0 and 100, got 101");
    CreateJob hugeBatch = TrainingNet.job(1, 1, 10).setBatchSize(65_537).build();
    assertThat(net.send(0, "training", "CreateJob", hugeBatch).getError())
        .startsWith("INVALID_MESSAGE: batch_size must be between 0 and 65536");
    CreateJob wildRate = TrainingNet.job(1, 1, 10).setLearningRateMicros(-1L).build();
    assertThat(net.send(0, "training", "CreateJob", wildRate).getError())
        .startsWith("INVALID_MESSAGE: learning_rate_micros must be between 0 and 10000000");
    assertThat(Snapshot.of(net, null)).isEqualTo(before);
  }

  @Test
  void onlyTheSponsorStartsAndOnlyWithEnoughParticipants() {
    rejected(
        1, "StartJob", StartJob.newBuilder().setJobId(d.id()).build(), "UNAUTHORIZED", "sponsor");
    SignedCreate small = createSecondJob(TrainingNet.job(1, 3, 100).build());
    Receipt r =
        net.send(0, "training", "StartJob", StartJob.newBuilder().setJobId(small.id()).build());
    assertThat(r.getError()).contains("has 0 participants; it needs 3");
  }

  @Test
  void cancellingBeforeAnyRoundFinalizesRefundsAndAfterwardsIsRejected() {
    d.start();
    d.playRound(1, 500_000, 300_000);
    rejected(
        0,
        "CancelJob",
        CancelJob.newBuilder().setJobId(d.id()).build(),
        "INVALID_MESSAGE",
        "can no longer be cancelled");

    SignedCreate second = createSecondJob(TrainingNet.job(1, 1, 1_000).build());
    long sponsor = net.balance(0);
    net.ok(0, "training", "CancelJob", CancelJob.newBuilder().setJobId(second.id()).build());
    assertThat(net.balance(0)).isEqualTo(sponsor + 1_000);
    assertThat(net.job(second.hash()).getStatus()).isEqualTo(JobStatus.JOB_CANCELLED);
    assertThat(net.balance(TrainingModule.escrowAccount(second.hash()))).isZero();
  }

  @Test
  void aCommitWindowTooShortToCommitInIsRefusedSoNoHonestAggregatorIsSlashedForIt() {
    // Issue #21: commit_blocks 1 and a silent participant got every aggregator in turn slashed.
    Snapshot before = Snapshot.of(net, null);
    for (long window : new long[] {1, 4}) {
      CreateJob trap = TrainingNet.job(1, 1, 10).setCommitBlocks(window).build();
      assertThat(net.send(0, "training", "CreateJob", trap).getError())
          .startsWith("INVALID_MESSAGE: commit_blocks must be between 5");
    }
    assertThat(Snapshot.of(net, null)).isEqualTo(before);
    CreateJob fair = TrainingNet.job(1, 1, 10).setCommitBlocks(5).build();
    assertThat(net.send(0, "training", "CreateJob", fair).getStatus()).isEqualTo(ReceiptStatus.OK);
  }

  @Test
  void aSponsorCannotCancelOnceRoundOneHasAnAggregateToTake() {
    // Issue #21: fetch round 1's committed aggregate, then cancel for a full refund.
    d.start();
    d.submitAll(1);
    ByteString aggregate = TrainingNet.hashBytes("aggregate:1");
    net.ok(
        d.aggregator(1),
        "training",
        "CommitRound",
        d.commit(1, aggregate, List.of(), 400_000, 300_000));
    long escrow = net.balance(TrainingModule.escrowAccount(d.jobId()));

    rejected(
        0,
        "CancelJob",
        CancelJob.newBuilder().setJobId(d.id()).build(),
        "INVALID_MESSAGE",
        "round 1 has a committed aggregate");

    assertThat(net.balance(TrainingModule.escrowAccount(d.jobId()))).isEqualTo(escrow);
    assertThat(net.job(d.jobId()).getStatus()).isEqualTo(JobStatus.JOB_RUNNING);
    // The round goes on and pays its participants as usual.
    d.attestAll(1, aggregate);
    assertThat(net.balance(TrainingModule.escrowAccount(d.jobId()))).isLessThan(escrow);
  }

  @Test
  void aMessageForAnUnknownJobIsRejected() {
    var advance =
        org.fedledger.core.proto.training.Advance.newBuilder()
            .setJobId(TrainingNet.hashBytes("no such job"))
            .build();
    rejected(1, "Advance", advance, "INVALID_MESSAGE", "no job");
  }

  @Test
  void theMempoolRefusesJoinsThatCannotSucceedAndSponsorMessagesFromOthers() throws Exception {
    net.ok(5, "registry", "RegisterDataset", TrainingNet.dataset("ds-5", 100, "research"));
    var join = net.tx(5, "training", "JoinJob", d.join(5, 5_000));
    var admission = net.ledger().checkTransaction(TransactionCodec.decode(join));
    assertThat(admission.isOk()).isFalse();
    assertThat(admission.message()).contains("does not consent");
    var start = net.tx(1, "training", "StartJob", StartJob.newBuilder().setJobId(d.id()).build());
    assertThat(net.ledger().checkTransaction(TransactionCodec.decode(start)).message())
        .contains("only the sponsor");
    var ok = net.tx(0, "training", "StartJob", StartJob.newBuilder().setJobId(d.id()).build());
    assertThat(net.ledger().checkTransaction(TransactionCodec.decode(ok)).isOk()).isTrue();
  }

  private record SignedCreate(Hash hash) {
    ByteString id() {
      return hash.toByteString();
    }
  }

  private SignedCreate createSecondJob(CreateJob job) {
    var tx = net.tx(0, "training", "CreateJob", job);
    JobDriver.assertAllOk(net.block(tx));
    return new SignedCreate(TrainingNet.jobId(tx));
  }
}
