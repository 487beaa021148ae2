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
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.staking.Bond;
import org.fedledger.core.proto.staking.SlashRecord;
import org.fedledger.core.proto.training.Advance;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.ledger.BlockResult;
import org.fedledger.ledger.staking.StakingKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faulty aggregators, rejected updates, missed deadlines, and payments that must not repeat. */
class TrainingFaultsTest {
  private static final long VALIDATOR_STAKE = 100_000;

  @TempDir Path dir;
  private TrainingNet net;
  private JobDriver d;

  @BeforeEach
  void validatorsBondStake() {
    net = new TrainingNet(dir);
    d = new JobDriver(net);
    List<SignedTransaction> bonds = new ArrayList<>();
    for (int v : TrainingNet.validatorIds()) {
      bonds.add(net.tx(v, "staking", "Bond", Bond.newBuilder().setAmount(VALIDATOR_STAKE).build()));
    }
    JobDriver.assertAllOk(net.block(bonds));
  }

  @AfterEach
  void close() {
    net.close();
  }

  private List<SlashRecord> slashes(int account) {
    return net.query(
        q -> net.ledger().contracts().staking().slashes(q, TrainingNet.address(account)));
  }

  @Test
  void aCommitAQuorumDisagreesWithIsRejectedItsAggregatorSlashedAndTheNextOneCommits() {
    Hash id = d.createAndJoin(TrainingNet.job(1, 3, 30_000).build(), 1, 2, 3);
    d.start();
    d.submitAll(1);
    int liar = d.aggregator(1);
    ByteString wrong = TrainingNet.hashBytes("poisoned aggregate");
    ByteString right = TrainingNet.hashBytes("honest aggregate");
    net.ok(liar, "training", "CommitRound", d.commit(1, wrong, List.of(), 400_000, 300_000));
    long pool = net.balance(StakingKeeper.COMMUNITY_POOL);

    BlockResult last = d.attestAll(1, right);

    Round round = d.round(1);
    assertThat(round.getStatus()).isEqualTo(RoundStatus.ROUND_OPEN);
    assertThat(round.getFailedCommitsList()).hasSize(1);
    assertThat(round.getFailedCommits(0).getAggregateHash()).isEqualTo(wrong);
    assertThat(round.getFailedAggregatorsList()).containsExactly(TrainingNet.bytes(liar));
    assertThat(round.getAggregator()).isNotEqualTo(TrainingNet.bytes(liar));
    assertThat(round.getAttestationsList()).isEmpty();
    assertThat(net.bonded(liar)).isEqualTo(VALIDATOR_STAKE - VALIDATOR_STAKE / 10);
    assertThat(net.balance(StakingKeeper.COMMUNITY_POOL)).isEqualTo(pool + VALIDATOR_STAKE / 10);
    assertThat(slashes(liar))
        .singleElement()
        .satisfies(s -> assertThat(s.getReason()).contains("not the committed"));
    assertThat(eventTypes(last)).contains("CommitRejected", "Slashed");
    assertThat(net.job(id).getEscrowRemaining()).isEqualTo(30_000);

    int honest = d.aggregator(1);
    net.ok(honest, "training", "CommitRound", d.commit(1, right, List.of(), 400_000, 300_000));
    d.attestAll(1, right);
    assertThat(d.round(1).getStatus()).isEqualTo(RoundStatus.ROUND_FINAL);
    assertThat(net.job(id).getStatus()).isEqualTo(JobStatus.JOB_COMPLETED);
    assertThat(net.model(id.toHex()).orElseThrow().getWeightsHash()).isEqualTo(right);
    assertThat(slashes(honest)).isEmpty();
    assertThat(TrainingHappyPathTest.sumOfBalances(net, TrainingModule.escrowAccount(id)))
        .isEqualTo(net.ledger().totalSupply());
  }

  @Test
  void aCommitWhoseServerStateTheQuorumComputedOtherwiseIsRejectedThoughItsAggregateMatches() {
    Hash id = d.createAndJoin(TrainingNet.job(1, 3, 30_000).build(), 1, 2, 3);
    d.start();
    d.submitAll(1);
    int liar = d.aggregator(1);
    ByteString aggregate = TrainingNet.hashBytes("fedavgm aggregate");
    ByteString wrongState = TrainingNet.hashBytes("momentum left out");
    ByteString rightState = TrainingNet.hashBytes("momentum");
    net.ok(
        liar,
        "training",
        "CommitRound",
        d.commit(1, aggregate, List.of(), 400_000, 300_000).toBuilder()
            .setServerStateHash(wrongState)
            .build());

    BlockResult last = null;
    for (int v : d.attesters(1)) {
      last =
          net.block(
              net.tx(
                  v,
                  "training",
                  "AttestRound",
                  d.attestation(1, aggregate).toBuilder().setServerStateHash(rightState).build()));
      JobDriver.assertAllOk(last);
    }

    Round round = d.round(1);
    assertThat(round.getStatus()).isEqualTo(RoundStatus.ROUND_OPEN);
    assertThat(round.getFailedCommits(0).getServerStateHash()).isEqualTo(wrongState);
    assertThat(round.getFailedCommits(0).getReason())
        .contains("with server state " + Hash.of(rightState).toHex())
        .contains("not the committed");
    assertThat(eventTypes(last)).contains("CommitRejected", "Slashed");
    assertThat(net.bonded(liar)).isEqualTo(VALIDATOR_STAKE - VALIDATOR_STAKE / 10);

    int honest = d.aggregator(1);
    net.ok(
        honest,
        "training",
        "CommitRound",
        d.commit(1, aggregate, List.of(), 400_000, 300_000).toBuilder()
            .setServerStateHash(rightState)
            .build());
    for (int v : d.attesters(1)) {
      JobDriver.assertAllOk(
          net.block(
              net.tx(
                  v,
                  "training",
                  "AttestRound",
                  d.attestation(1, aggregate).toBuilder().setServerStateHash(rightState).build())));
    }
    assertThat(d.round(1).getStatus()).isEqualTo(RoundStatus.ROUND_FINAL);
    assertThat(d.round(1).getCommit().getServerStateHash()).isEqualTo(rightState);
    assertThat(net.job(id).getStatus()).isEqualTo(JobStatus.JOB_COMPLETED);
  }

  @Test
  void aRejectedUpdatesOwnerLosesTenPercentOfItsJobStake() {
    Hash id = d.createAndJoin(TrainingNet.job(1, 3, 30_000).build(), 1, 2, 3);
    d.start();
    d.submitAll(1);
    int bad = TrainingNet.idOf(d.round(1).getSelected(0));
    // Free stake besides the job's must survive: the slash comes out of the job's stake.
    net.ok(bad, "staking", "Bond", Bond.newBuilder().setAmount(1_000).build());
    long balance = net.balance(bad);
    ByteString agg = TrainingNet.hashBytes("agg");
    net.ok(d.aggregator(1), "training", "CommitRound", d.commit(1, agg, List.of(bad), 600_000));
    List<Integer> attesters = d.attesters(1);
    net.ok(attesters.get(0), "training", "AttestRound", d.attestation(1, agg));
    // Not final with one of two attestations: nothing slashed yet.
    assertThat(net.bonded(bad)).isEqualTo(1_000 + JobDriver.STAKE);
    assertThat(d.round(1).getStatus()).isEqualTo(RoundStatus.ROUND_COMMITTED);
    net.ok(attesters.get(1), "training", "AttestRound", d.attestation(1, agg));

    Round round = d.round(1);
    assertThat(round.getStatus()).isEqualTo(RoundStatus.ROUND_FINAL);
    assertThat(round.getSlashesList())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getAccount()).isEqualTo(TrainingNet.bytes(bad));
              assertThat(s.getAmount()).isEqualTo(JobDriver.STAKE / 10);
            });
    assertThat(round.getPayoutsList())
        .extracting(p -> p.getParticipant())
        .doesNotContain(TrainingNet.bytes(bad));
    assertThat(net.balance(bad)).isEqualTo(balance);
    assertThat(net.bonded(bad)).isEqualTo(1_000 + JobDriver.STAKE - JobDriver.STAKE / 10);
    assertThat(net.locked(bad)).isZero();
    ParticipantRecord rec =
        net.query(q -> net.training().participant(q, id, TrainingNet.address(bad))).orElseThrow();
    assertThat(rec.getRejected()).isEqualTo(1);
    assertThat(rec.getAccepted()).isZero();
    assertThat(rec.getSlashed()).isEqualTo(JobDriver.STAKE / 10);
    assertThat(rec.getReward()).isZero();
    assertThat(slashes(bad))
        .singleElement()
        .satisfies(s -> assertThat(s.getReason()).contains("norm 38.2"));
    var lineage = net.model(id.toHex()).orElseThrow().getRounds(0);
    assertThat(lineage.getUpdateHashesList()).hasSize(3);
    assertThat(lineage.getAcceptedUpdateHashesList()).hasSize(2);
    assertThat(TrainingHappyPathTest.sumOfBalances(net, TrainingModule.escrowAccount(id)))
        .isEqualTo(net.ledger().totalSupply());
  }

  @Test
  void anAggregatorThatMissesItsCommitDeadlineIsSlashedAndReplacedByAdvance() {
    Hash id = d.createAndJoin(TrainingNet.job(1, 3, 30_000).build(), 1, 2, 3);
    d.start();
    d.submitAll(1);
    int idle = d.aggregator(1);
    long deadline = d.round(1).getCommitDeadline();
    net.advanceTo(deadline);
    // The window's blocks have passed, but not its minimum time (30 s; blocks here are 1 s).
    net.ok(1, "training", "Advance", Advance.newBuilder().setJobId(d.id()).build());
    long opened = d.round(1).getCommitWindowStartMillis();
    assertThat(opened).as("the window's time starts when it is first seen open").isPositive();
    assertThat(d.round(1).getAggregator()).isEqualTo(TrainingNet.bytes(idle));
    net.advanceTo(net.ledger().height() + 29);
    Receipt late =
        net.send(
            idle,
            "training",
            "CommitRound",
            d.commit(1, TrainingNet.hashBytes("a"), List.of(), 500_000, 300_000));
    assertThat(late.getError()).startsWith("UNAUTHORIZED: only round 1's aggregator");
    assertThat(net.bonded(idle))
        .as("the failed commit's own processing is dropped")
        .isEqualTo(VALIDATOR_STAKE);

    Receipt advance =
        net.ok(1, "training", "Advance", Advance.newBuilder().setJobId(d.id()).build());
    assertThat(advance.getEventsList())
        .extracting(Event::getType)
        .contains("Slashed", "CommitRejected");
    Round round = d.round(1);
    assertThat(round.getAggregator()).isNotEqualTo(TrainingNet.bytes(idle));
    assertThat(round.getCommitDeadline()).isEqualTo(net.ledger().height() + 5);
    assertThat(net.bonded(idle)).isEqualTo(VALIDATOR_STAKE - VALIDATOR_STAKE / 10);
    d.playRoundAfterSubmissions(1, 500_000, 300_000);
    assertThat(net.job(id).getStatus()).isEqualTo(JobStatus.JOB_COMPLETED);
  }

  @Test
  void blocksMadeFastDoNotEndAnAggregatorsWindowBeforeItsMinimumTime() {
    Hash id = d.createAndJoin(TrainingNet.job(1, 3, 30_000).build(), 1, 2, 3);
    d.start();
    d.submitAll(1);
    int aggregator = d.aggregator(1);
    // The attack: blocks come every 10 ms (anyone can send transactions to make them), so the
    // window's 5 blocks pass in well under a second, and Advance is sent at every block.
    net.setBlockMillis(10);
    long deadline = d.round(1).getCommitDeadline();
    while (net.ledger().height() < deadline + 200) {
      Receipt advance =
          net.ok(1, "training", "Advance", Advance.newBuilder().setJobId(d.id()).build());
      assertThat(advance.getEventsList()).extracting(Event::getType).doesNotContain("Slashed");
    }
    assertThat(d.round(1).getAggregator()).isEqualTo(TrainingNet.bytes(aggregator));
    assertThat(net.bonded(aggregator)).isEqualTo(VALIDATOR_STAKE);
    // 200 blocks past its deadline in blocks, 2 s in time: the aggregator still commits.
    d.playRoundAfterSubmissions(1, 500_000, 300_000);
    assertThat(net.job(id).getStatus()).isEqualTo(JobStatus.JOB_COMPLETED);
    assertThat(slashes(aggregator)).isEmpty();
  }

  @Test
  void aRoundWithTooFewUpdatesByItsDeadlineReopensWithAFreshSelection() {
    d.createAndJoin(TrainingNet.job(1, 2, 30_000).build(), 1, 2, 3, 4);
    d.start();
    Round first = d.round(1);
    net.advanceTo(first.getUpdateDeadline());
    Receipt advance =
        net.ok(1, "training", "Advance", Advance.newBuilder().setJobId(d.id()).build());
    assertThat(advance.getEventsList())
        .extracting(Event::getType)
        .containsExactly("RoundReopened", "RoundOpened");
    Round reopened = d.round(1);
    assertThat(reopened.getReopenCount()).isEqualTo(1);
    assertThat(reopened.getOpenedHeight()).isEqualTo(net.ledger().height());
    assertThat(reopened.getUpdateDeadline()).isEqualTo(net.ledger().height() + 5);
    d.playRound(1, 700_000);
    assertThat(d.round(1).getStatus()).isEqualTo(RoundStatus.ROUND_FINAL);
  }

  @Test
  void splitAttestationsOrNoQuorumInTimeDropTheCommitWithoutSlashing() {
    Hash id = d.createAndJoin(TrainingNet.job(1, 3, 30_000).build(), 1, 2, 3);
    d.start();
    d.submitAll(1);
    int first = d.aggregator(1);
    ByteString committed = TrainingNet.hashBytes("committed");
    net.ok(first, "training", "CommitRound", d.commit(1, committed, List.of(), 400_000, 300_000));
    List<Integer> attesters = d.attesters(1);
    net.ok(
        attesters.get(0), "training", "AttestRound", d.attestation(1, TrainingNet.hashBytes("x")));
    assertThat(d.round(1).getStatus())
        .as("the other hash may still reach a quorum")
        .isEqualTo(RoundStatus.ROUND_COMMITTED);
    Receipt split =
        net.ok(
            attesters.get(1),
            "training",
            "AttestRound",
            d.attestation(1, TrainingNet.hashBytes("y")));
    assertThat(split.getEventsList())
        .extracting(Event::getType)
        .containsExactly("RoundAttested", "CommitRejected");
    assertThat(slashes(first)).isEmpty();
    assertThat(d.round(1).getFailedCommits(0).getReason())
        .contains("no aggregate can reach a quorum");

    int second = d.aggregator(1);
    net.ok(second, "training", "CommitRound", d.commit(1, committed, List.of(), 400_000, 300_000));
    net.ok(d.attesters(1).get(0), "training", "AttestRound", d.attestation(1, committed));
    net.advanceTo(d.round(1).getCommitDeadline());
    Receipt advance =
        net.ok(1, "training", "Advance", Advance.newBuilder().setJobId(d.id()).build());
    assertThat(advance.getEventsList())
        .extracting(Event::getType)
        .containsExactly("CommitRejected");
    assertThat(slashes(second)).isEmpty();
    Round round = d.round(1);
    assertThat(round.getFailedCommitsList()).hasSize(2);
    assertThat(round.getFailedCommits(1).getReason()).contains("no quorum of attestations");
    assertThat(round.getStatus()).isEqualTo(RoundStatus.ROUND_OPEN);
    assertThat(net.job(id).getEscrowRemaining()).isEqualTo(30_000);
  }

  @Test
  void nothingIsPaidTwiceWhenMoreAttestationsOrAReplayedTransactionArriveAfterFinalization() {
    Hash id = d.createAndJoin(TrainingNet.job(2, 2, 20_000).setAttestQuorum(1).build(), 1, 2);
    d.start();
    d.submitAll(1);
    ByteString agg = TrainingNet.hashBytes("agg");
    net.ok(d.aggregator(1), "training", "CommitRound", d.commit(1, agg, List.of(), 500_000));
    List<Integer> attesters = d.attesters(1);
    SignedTransaction first =
        net.tx(attesters.get(0), "training", "AttestRound", d.attestation(1, agg));
    SignedTransaction second =
        net.tx(attesters.get(1), "training", "AttestRound", d.attestation(1, agg));
    BlockResult both = net.block(first, second);
    assertThat(both.receipts().get(0).getStatus()).isEqualTo(ReceiptStatus.OK);
    assertThat(both.receipts().get(1).getError()).contains("is in round 2");
    long escrow = net.balance(TrainingModule.escrowAccount(id));
    long p1 = net.balance(1);
    long p2 = net.balance(2);
    assertThat(escrow).isEqualTo(10_000);
    assertThat(net.job(id).getEscrowRemaining()).isEqualTo(10_000);

    BlockResult replay = net.block(first);
    assertThat(replay.receipts().get(0).getError()).startsWith("DUPLICATE");
    assertThat(net.balance(TrainingModule.escrowAccount(id))).isEqualTo(escrow);
    assertThat(net.balance(1)).isEqualTo(p1);
    assertThat(net.balance(2)).isEqualTo(p2);
    assertThat(d.round(1).getPayoutsList()).hasSize(2);
  }

  private static List<String> eventTypes(BlockResult r) {
    List<String> out = new ArrayList<>();
    for (Receipt receipt : r.receipts()) {
      for (Event e : receipt.getEventsList()) {
        out.add(e.getType());
      }
    }
    return out;
  }
}
