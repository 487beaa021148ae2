package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.ledger.training.TrainingNet.INITIAL;
import static org.fedledger.ledger.training.TrainingNet.address;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.registry.RoundLineage;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Payout;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.ledger.BlockResult;
import org.fedledger.ledger.staking.StakingKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole job on a real ledger: escrow, datasets, joins, three rounds, payouts, the model. */
class TrainingHappyPathTest {
  private static final long REWARD = 100_000;
  private static final int[] PARTICIPANTS = {1, 2, 3, 4};

  /** Payouts of the three rounds to the accepted participants in address order (50/30/20%). */
  private static final long[][] EXPECTED = {
    {16_666, 9_999, 6_666}, // share 100000/3 = 33333; 2 of dust stays in escrow
    {16_667, 10_000, 6_666}, // share 66669/2 = 33334; 1 stays
    {16_669, 10_000, 6_667}, // share 33336, all of it: the 1 of dust goes to the top scorer
  };

  @TempDir Path dir;

  @Test
  void threeRoundsPayByScoreEmptyTheEscrowConserveSupplyAndRegisterTheModel() {
    try (TrainingNet net = new TrainingNet(dir)) {
      JobDriver d = new JobDriver(net);
      Hash id = d.createAndJoin(TrainingNet.job(3, 3, REWARD).build(), PARTICIPANTS);
      Address escrow = TrainingModule.escrowAccount(id);
      assertThat(net.balance(0)).isEqualTo(INITIAL - REWARD);
      assertThat(net.balance(escrow)).isEqualTo(REWARD);
      for (int p : PARTICIPANTS) {
        assertThat(net.balance(p)).isEqualTo(INITIAL - JobDriver.STAKE);
        assertThat(net.bonded(p)).isEqualTo(JobDriver.STAKE);
      }
      assertThat(net.job(id).getStatus()).isEqualTo(JobStatus.JOB_OPEN);

      d.start();
      TreeMap<Integer, Long> earned = new TreeMap<>();
      for (long r = 1; r <= 3; r++) {
        Round open = d.round(r);
        assertThat(open.getStatus()).isEqualTo(RoundStatus.ROUND_OPEN);
        assertThat(open.getSelectedList()).hasSize(3).doesNotHaveDuplicates();
        assertThat(net.job(id).getCurrentRound()).isEqualTo(r);
        d.playRound(r, 500_000, 300_000);

        Round done = d.round(r);
        assertThat(done.getStatus()).isEqualTo(RoundStatus.ROUND_FINAL);
        List<Long> amounts = new ArrayList<>();
        for (Payout p : done.getPayoutsList()) {
          amounts.add(p.getAmount());
          earned.merge(TrainingNet.idOf(p.getParticipant()), p.getAmount(), Long::sum);
        }
        assertThat(amounts)
            .containsExactly(
                EXPECTED[(int) r - 1][0], EXPECTED[(int) r - 1][1], EXPECTED[(int) r - 1][2]);
        assertThat(done.getAttestationsList()).hasSize(2);
      }

      Job job = net.job(id);
      assertThat(job.getStatus()).isEqualTo(JobStatus.JOB_COMPLETED);
      assertThat(job.getEscrowRemaining()).isZero();
      assertThat(job.getEscrowPaid()).isEqualTo(REWARD);
      assertThat(net.balance(escrow)).isZero();
      long total = 0;
      for (int p : PARTICIPANTS) {
        long reward = earned.getOrDefault(p, 0L);
        total += reward;
        assertThat(net.balance(p)).isEqualTo(INITIAL - JobDriver.STAKE + reward);
        ParticipantRecord rec =
            net.query(q -> net.training().participant(q, id, address(p))).orElseThrow();
        assertThat(rec.getReward()).isEqualTo(reward);
        assertThat(rec.getSlashed()).isZero();
        // Stake stays bonded but is no longer locked: the participant may unbond it now.
        assertThat(net.locked(p)).isZero();
        assertThat(net.bonded(p)).isEqualTo(JobDriver.STAKE);
      }
      assertThat(total).isEqualTo(REWARD);
      assertThat(sumOfBalances(net, escrow)).isEqualTo(net.ledger().totalSupply());

      Model model = net.model(id.toHex()).orElseThrow();
      assertThat(job.getModelId()).isEqualTo(id.toHex());
      assertThat(model.getVersion()).isEqualTo(1);
      assertThat(model.getWeightsHash()).isEqualTo(TrainingNet.hashBytes("aggregate:3"));
      assertThat(model.getJobId()).isEqualTo(d.id());
      assertThat(model.getMetricsList())
          .extracting(m -> m.getName())
          .containsExactly("accuracy_ppm", "loss_micro");
      assertThat(model.getRoundsList()).hasSize(3);
      for (RoundLineage l : model.getRoundsList()) {
        Round round = d.round(l.getRound());
        assertThat(l.getAggregateHash())
            .isEqualTo(TrainingNet.hashBytes("aggregate:" + l.getRound()));
        assertThat(l.getParticipantsList())
            .containsExactlyInAnyOrderElementsOf(round.getSelectedList());
        assertThat(l.getUpdateHashesList()).hasSize(3);
        assertThat(l.getDatasetIdsList()).allMatch(ds -> ds.startsWith("ds-"));
        assertThat(l.getAttestersList()).hasSize(2).doesNotContain(l.getAggregator());
        assertThat(l.getScoresList())
            .extracting(s -> s.getPpm())
            .containsExactly(500_000L, 300_000L, 200_000L);
      }
      assertThat(net.models()).containsExactly(model);
      assertThat(net.lineage(id.toHex())).containsExactly(model);
    }
  }

  @Test
  void everyStepEmitsTheEventsAgentsFollow() {
    try (TrainingNet net = new TrainingNet(dir)) {
      JobDriver d = new JobDriver(net);
      Hash id = d.createAndJoin(TrainingNet.job(1, 2, 10_000).build(), 1, 2);
      BlockResult start =
          net.block(
              net.tx(
                  0,
                  "training",
                  "StartJob",
                  org.fedledger.core.proto.training.StartJob.newBuilder()
                      .setJobId(d.id())
                      .build()));
      assertThat(types(start)).containsExactly("JobStarted", "RoundOpened");
      Event opened = start.receipts().get(0).getEvents(1);
      assertThat(attr(opened, "job_id")).isEqualTo(id.toHex());
      assertThat(attr(opened, "aggregator")).isEqualTo(address(d.aggregator(1)).toHex());

      d.submitAll(1);
      ByteString agg = TrainingNet.hashBytes("agg");
      BlockResult commit =
          net.block(
              net.tx(
                  d.aggregator(1),
                  "training",
                  "CommitRound",
                  d.commit(1, agg, List.of(), 600_000)));
      assertThat(types(commit)).containsExactly("RoundCommitted");
      BlockResult last = d.attestAll(1, agg);
      assertThat(types(last))
          .containsSubsequence(
              "RoundAttested",
              "Transfer",
              "RewardPaid",
              "RoundFinalized",
              "Unlocked",
              "ModelRegistered",
              "JobCompleted");
    }
  }

  private static List<String> types(BlockResult r) {
    List<String> out = new ArrayList<>();
    for (var receipt : r.receipts()) {
      for (Event e : receipt.getEventsList()) {
        out.add(e.getType());
      }
    }
    return out;
  }

  private static String attr(Event e, String key) {
    return e.getAttributesList().stream()
        .filter(a -> a.getKey().equals(key))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  static long sumOfBalances(TrainingNet net, Address... extra) {
    long sum = 0;
    for (int i = 0; i < TrainingNet.ACCOUNTS; i++) {
      sum += net.balance(i);
    }
    for (int v : TrainingNet.validatorIds()) {
      sum += net.balance(v);
    }
    for (Address a : extra) {
      sum += net.balance(a);
    }
    return sum + net.balance(StakingKeeper.BONDED_POOL) + net.balance(StakingKeeper.COMMUNITY_POOL);
  }
}
