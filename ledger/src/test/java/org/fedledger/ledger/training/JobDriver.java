package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.AttestRound;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.StartJob;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.core.proto.training.SubmitUpdate;
import org.fedledger.ledger.BlockResult;

/** Plays the agents of one job on a {@link TrainingNet}: sponsor 0, participants, validators. */
public final class JobDriver {
  public static final long STAKE = 5_000;

  private final TrainingNet net;
  private Hash jobId;

  public JobDriver(TrainingNet net) {
    this.net = net;
  }

  public Hash jobId() {
    return jobId;
  }

  /** Participants register a consenting dataset each, the sponsor creates the job, all join. */
  public Hash createAndJoin(CreateJob job, int... participants) {
    return createAndJoin(
        job, p -> TrainingNet.dataset("ds-" + p, 600, "research", TrainingNet.USE), participants);
  }

  /** As above, with each participant p's dataset "ds-p" registered as datasets gives it. */
  public Hash createAndJoin(
      CreateJob job, IntFunction<RegisterDataset> datasets, int... participants) {
    List<SignedTransaction> txs = new ArrayList<>();
    for (int p : participants) {
      txs.add(net.tx(p, "registry", "RegisterDataset", datasets.apply(p)));
    }
    SignedTransaction create = net.tx(0, "training", "CreateJob", job);
    txs.add(create);
    assertAllOk(net.block(txs));
    jobId = TrainingNet.jobId(create);
    List<SignedTransaction> joins = new ArrayList<>();
    for (int p : participants) {
      joins.add(net.tx(p, "training", "JoinJob", join(p, STAKE)));
    }
    assertAllOk(net.block(joins));
    return jobId;
  }

  public JoinJob join(int p, long stake) {
    return JoinJob.newBuilder().setJobId(id()).setDatasetId("ds-" + p).setStake(stake).build();
  }

  public void start() {
    net.ok(0, "training", "StartJob", StartJob.newBuilder().setJobId(id()).build());
  }

  public ByteString id() {
    return jobId.toByteString();
  }

  public Round round(long r) {
    return net.round(jobId, r);
  }

  public static ByteString update(long r, int participant) {
    return TrainingNet.hashBytes("update:" + r + ":" + participant);
  }

  public SubmitUpdate submission(long r, int participant) {
    return SubmitUpdate.newBuilder()
        .setJobId(id())
        .setRound(r)
        .setUpdateHash(update(r, participant))
        .setSampleCount(500)
        .setTrainLoss(412_000)
        .setBlobLocation("http://node-" + participant + "/blobs/" + r)
        .build();
  }

  /** Every selected participant submits, in one block. */
  public void submitAll(long r) {
    List<SignedTransaction> txs = new ArrayList<>();
    for (ByteString p : round(r).getSelectedList()) {
      txs.add(
          net.tx(
              TrainingNet.idOf(p), "training", "SubmitUpdate", submission(r, TrainingNet.idOf(p))));
    }
    assertAllOk(net.block(txs));
  }

  public int aggregator(long r) {
    return TrainingNet.idOf(round(r).getAggregator());
  }

  /** Validators other than the round's committer, in id order. */
  public List<Integer> attesters(long r) {
    Round round = round(r);
    ByteString committer =
        round.getCommitter().isEmpty() ? round.getAggregator() : round.getCommitter();
    List<Integer> out = new ArrayList<>();
    for (int v : TrainingNet.validatorIds()) {
      if (!TrainingNet.bytes(v).equals(committer)) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * A commit accepting every submission except those of rejected, scoring the accepted by the given
   * ppm in ascending address order (the remainder to the last).
   */
  public CommitRound commit(long r, ByteString aggregate, List<Integer> rejected, long... ppm) {
    Round round = round(r);
    CommitRound.Builder c =
        CommitRound.newBuilder()
            .setJobId(id())
            .setRound(r)
            .setAggregateHash(aggregate)
            .setBlobLocation("http://aggregator/blobs/" + r)
            .addMetrics(Metric.newBuilder().setName("accuracy_ppm").setValue(800_000 + r))
            .addMetrics(Metric.newBuilder().setName("loss_micro").setValue(300_000 - r));
    List<ByteString> accepted = new ArrayList<>();
    for (Submission s : round.getSubmissionsList()) {
      if (rejected.contains(TrainingNet.idOf(s.getParticipant()))) {
        c.addRejected(
            Rejection.newBuilder()
                .setUpdateHash(s.getUpdateHash())
                .setReason("norm 38.2 > bound 10"));
      } else {
        c.addAccepted(s.getUpdateHash());
        accepted.add(s.getParticipant());
      }
    }
    accepted.sort(ByteString.unsignedLexicographicalComparator());
    long left = 1_000_000;
    for (int i = 0; i < accepted.size(); i++) {
      long share = i == accepted.size() - 1 ? left : ppm[i];
      left -= share;
      c.addScores(Score.newBuilder().setParticipant(accepted.get(i)).setPpm(share));
    }
    return c.build();
  }

  public AttestRound attestation(long r, ByteString aggregate) {
    return AttestRound.newBuilder().setJobId(id()).setRound(r).setAggregateHash(aggregate).build();
  }

  /** The round's other validators attest aggregate, one block each; returns the last result. */
  public BlockResult attestAll(long r, ByteString aggregate) {
    BlockResult last = null;
    for (int v : attesters(r)) {
      last = net.block(net.tx(v, "training", "AttestRound", attestation(r, aggregate)));
      assertAllOk(last);
    }
    return last;
  }

  /** Submit, commit (all accepted) and attest one round with the given ppm split. */
  public void playRound(long r, long... ppm) {
    submitAll(r);
    playRoundAfterSubmissions(r, ppm);
  }

  /** Commit (all accepted) and attest one round whose updates are in. */
  public void playRoundAfterSubmissions(long r, long... ppm) {
    ByteString aggregate = TrainingNet.hashBytes("aggregate:" + r);
    net.ok(aggregator(r), "training", "CommitRound", commit(r, aggregate, List.of(), ppm));
    attestAll(r, aggregate);
  }

  public static void assertAllOk(BlockResult r) {
    for (var receipt : r.receipts()) {
      org.assertj.core.api.Assertions.assertThat(receipt.getStatus())
          .as("receipt error: %s", receipt.getError())
          .isEqualTo(org.fedledger.core.proto.ReceiptStatus.OK);
    }
  }
}
