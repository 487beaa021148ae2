package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.staking.Bond;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.ledger.BlockResult;
import org.fedledger.ledger.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two ledgers fed the same blocks of a whole job, faults included, agree bit for bit. */
class TrainingDeterminismTest {
  @TempDir Path first;
  @TempDir Path second;

  @Test
  void twoLedgersFedTheSameBlocksReachTheSameStateRootAtEveryHeight() {
    List<BlockProposal> blocks;
    Hash finalRoot;
    Hash jobId;
    try (TrainingNet net = new TrainingNet(first)) {
      net.ok(1000, "staking", "Bond", Bond.newBuilder().setAmount(50_000).build());
      net.ok(1001, "staking", "Bond", Bond.newBuilder().setAmount(20_000).build());
      JobDriver d = new JobDriver(net);
      jobId = d.createAndJoin(TrainingNet.job(2, 3, 50_001).build(), 1, 2, 3, 4, 5);
      d.start();
      // Round 1: a wrong aggregate is rejected by the attesters, then an honest commit with one
      // rejected update.
      d.submitAll(1);
      ByteString wrong = TrainingNet.hashBytes("wrong");
      ByteString right = TrainingNet.hashBytes("right");
      net.ok(d.aggregator(1), "training", "CommitRound", d.commit(1, wrong, List.of(), 1, 2));
      d.attestAll(1, right);
      int rejected = TrainingNet.idOf(d.round(1).getSubmissions(0).getParticipant());
      net.ok(
          d.aggregator(1),
          "training",
          "CommitRound",
          d.commit(1, right, List.of(rejected), 333_333));
      d.attestAll(1, right);
      d.playRound(2, 123_457, 654_321);
      assertThat(net.job(jobId).getStatus()).isEqualTo(JobStatus.JOB_COMPLETED);
      blocks = net.applied();
      finalRoot = net.ledger().stateRoot();
    }

    try (Ledger a = Ledger.open(first, TrainingNet.genesis());
        Ledger b = Ledger.open(second, TrainingNet.genesis())) {
      for (BlockProposal p : blocks) {
        BlockResult r = b.applyBlock(p, new byte[0]);
        assertThat(r.header()).isEqualTo(a.headerByHeight(r.height()).orElseThrow());
        assertThat(r.receipts()).isEqualTo(a.receipts(r.height()));
      }
      assertThat(b.stateRoot()).isEqualTo(finalRoot);
      Optional<Model> inB = b.query(q -> b.contracts().registry().model(q, jobId.toHex()));
      Optional<Model> inA = a.query(q -> a.contracts().registry().model(q, jobId.toHex()));
      assertThat(inB).isPresent().isEqualTo(inA);
    }
  }
}
