package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.AttestRound;
import org.fedledger.core.proto.training.BlobRef;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.core.proto.training.ReportEvaluation;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.StartJob;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.core.proto.training.SubmitUpdate;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.StoreKey;
import org.fedledger.ledger.store.Column;
import org.fedledger.ledger.store.KeyValueStore;
import org.fedledger.ledger.store.MemoryStore;
import org.fedledger.ledger.store.WriteSet;
import org.junit.jupiter.api.Test;

/**
 * Issue #21, finding 9, mounted: 200 owners join one job, submit 200 updates to one round and
 * report 200 evaluations of it, one transaction per block, while a store under the ledger counts
 * the bytes of state values (key and value) each block writes; and 200 jobs name one blob. Were the
 * participant list, the submissions or the evaluations kept inside the job or round record, the
 * record would be rewritten whole by each of them, and the 200th would write over 4 KB more than
 * the first. Kept one entry per key, the 200th writes what the first did, give or take the bytes of
 * a growing count.
 */
class BoundedRecordWritesTest {
  private static final int OWNERS = 200;
  private static final int FIRST_OWNER = 2_000;
  private static final long STAKE = 1_000;

  /** A count's varint may grow by a byte or two over 200 entries; nothing else may grow. */
  private static final long SLACK = 16;

  /**
   * What a list of 200 entries of 20 bytes and more takes at least: what the old layout rewrote.
   */
  private static final long LIST_OF_ALL = (long) OWNERS * 20;

  @Test
  void joinsSubmissionsAndEvaluationsEachWriteTheSameBytesHoweverManyCameBefore() {
    StateWriteCounter store = new StateWriteCounter(new MemoryStore());
    try (TrainingNet net = new TrainingNet(store)) {
      fundAndRegister(net);
      SignedTransaction create =
          net.tx(
              0,
              "training",
              "CreateJob",
              TrainingNet.job(1, OWNERS, 100_000)
                  .setRoundBlocks(5 * OWNERS)
                  .setTestFractionPpm(200_000)
                  .build());
      JobDriver.assertAllOk(net.block(create));
      Hash job = TrainingNet.jobId(create);

      List<Long> joins = new ArrayList<>();
      for (int owner : owners()) {
        JoinJob join =
            JoinJob.newBuilder()
                .setJobId(job.toByteString())
                .setDatasetId(dataset(owner))
                .setStake(STAKE)
                .build();
        joins.add(store.measure(() -> net.ok(owner, "training", "JoinJob", join)));
      }
      net.ok(0, "training", "StartJob", StartJob.newBuilder().setJobId(job.toByteString()).build());
      assertThat(net.round(job, 1).getSelectedList()).hasSize(OWNERS);

      List<Long> submissions = new ArrayList<>();
      for (int owner : owners()) {
        SubmitUpdate update = update(job, owner);
        submissions.add(store.measure(() -> net.ok(owner, "training", "SubmitUpdate", update)));
      }

      ByteString aggregate = TrainingNet.hashBytes("aggregate");
      Round round = net.round(job, 1);
      net.ok(
          TrainingNet.idOf(round.getAggregator()), "training", "CommitRound", commit(job, round));
      for (int v : TrainingNet.validatorIds()) {
        if (!TrainingNet.bytes(v).equals(round.getAggregator())) {
          net.ok(
              v,
              "training",
              "AttestRound",
              AttestRound.newBuilder()
                  .setJobId(job.toByteString())
                  .setRound(1)
                  .setAggregateHash(aggregate)
                  .build());
        }
      }

      List<Long> evaluations = new ArrayList<>();
      for (int owner : owners()) {
        ReportEvaluation e = evaluation(job, aggregate, owner);
        evaluations.add(store.measure(() -> net.ok(owner, "training", "ReportEvaluation", e)));
      }
      System.out.printf(
          "state bytes written per block: join %d (1st) %d (200th); submission %d / %d;"
              + " evaluation %d / %d%n",
          joins.get(0),
          joins.get(OWNERS - 1),
          submissions.get(0),
          submissions.get(OWNERS - 1),
          evaluations.get(0),
          evaluations.get(OWNERS - 1));

      assertBounded("join", joins);
      assertBounded("submission", submissions);
      assertBounded("evaluation", evaluations);

      // Every reader still sees the whole lists, in their order.
      assertThat(net.job(job).getParticipantsList())
          .containsExactlyElementsOf(owners().stream().map(TrainingNet::bytes).toList());
      Round filled = net.round(job, 1);
      assertThat(filled.getSubmissionsList())
          .extracting(Submission::getParticipant)
          .containsExactlyElementsOf(owners().stream().map(TrainingNet::bytes).toList());
      assertThat(filled.getEvaluationsCount()).isEqualTo(OWNERS);
      assertThat(filled.getSubmissionTotal()).isEqualTo(OWNERS);
      Model model = net.model(job.toHex()).orElseThrow();
      assertThat(model.getRoundsList()).hasSize(1);
      assertThat(model.getRounds(0).getParticipantsList()).hasSize(OWNERS);

      // ...while the stored records stay small: the lists live under their own keys.
      assertThat(stored(net, "training", Bytes.concat(Bytes.utf8("job/"), job.toByteArray())))
          .isLessThan(LIST_OF_ALL / 4);
      assertThat(
              stored(
                  net,
                  "training",
                  Bytes.concat(Bytes.utf8("round/"), job.toByteArray(), Bytes.ofLong(1))))
          // The commit (200 accepted hashes and scores) and payouts stay in the round: written
          // once each, by the commit and the finalization.
          .isGreaterThan(0);
      assertThat(stored(net, "registry", Bytes.utf8("model/" + job.toHex())))
          .isLessThan(LIST_OF_ALL / 4);
    }
  }

  @Test
  void jobAfterJobNamingTheSameInitialWeightsWritesTheSameBytesEachTime() {
    StateWriteCounter store = new StateWriteCounter(new MemoryStore());
    try (TrainingNet net = new TrainingNet(store)) {
      List<Long> creations = new ArrayList<>();
      List<Hash> jobs = new ArrayList<>();
      for (int i = 0; i < OWNERS; i++) {
        // The cheapest job there is, and every one names the same blob as its initial weights.
        SignedTransaction create =
            net.tx(0, "training", "CreateJob", TrainingNet.job(1, 1, 1).build());
        creations.add(store.measure(() -> JobDriver.assertAllOk(net.block(create))));
        jobs.add(TrainingNet.jobId(create));
      }
      System.out.printf(
          "state bytes written per CreateJob naming the same blob: %d (1st) %d (200th)%n",
          creations.get(0), creations.get(OWNERS - 1));
      assertBounded("job naming the same blob", creations);
      // The blob index still lists every job that names the blob, in creation order.
      List<BlobRef> refs =
          net.query(q -> net.training().blobRefs(q, TrainingNet.hash("initial-weights")));
      assertThat(refs).extracting(r -> Hash.of(r.getJobId())).containsExactlyElementsOf(jobs);
    }
  }

  private static void assertBounded(String what, List<Long> bytes) {
    long early = bytes.get(1);
    assertThat(bytes.subList(1, bytes.size()))
        .as(
            "state bytes of each %s after the first (the first may create keys the rest reuse)",
            what)
        .allSatisfy(b -> assertThat(b).isBetween(early - SLACK, early + SLACK));
    assertThat(bytes.get(bytes.size() - 1))
        .as("the last %s writes less than the list of all of them", what)
        .isLessThan(LIST_OF_ALL);
  }

  private static long stored(TrainingNet net, String module, byte[] key) {
    return net.query(q -> q.store(new StoreKey(module)).get(key)).length;
  }

  private static List<Integer> owners() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < OWNERS; i++) {
      out.add(owner(i));
    }
    return out;
  }

  private static int owner(int i) {
    return FIRST_OWNER + i;
  }

  private static String dataset(int owner) {
    return "ds-" + owner;
  }

  /** Account 0 funds every owner, and each registers a consenting dataset: two blocks. */
  private static void fundAndRegister(TrainingNet net) {
    List<SignedTransaction> funding = new ArrayList<>();
    List<SignedTransaction> datasets = new ArrayList<>();
    for (int owner : owners()) {
      funding.add(
          net.tx(
              0,
              "bank",
              "Transfer",
              Transfer.newBuilder().setTo(TrainingNet.bytes(owner)).setAmount(2 * STAKE).build()));
      datasets.add(
          net.tx(
              owner,
              "registry",
              "RegisterDataset",
              TrainingNet.dataset(dataset(owner), 600, TrainingNet.USE)));
    }
    JobDriver.assertAllOk(net.block(funding));
    JobDriver.assertAllOk(net.block(datasets));
  }

  private static SubmitUpdate update(Hash job, int owner) {
    return SubmitUpdate.newBuilder()
        .setJobId(job.toByteString())
        .setRound(1)
        .setUpdateHash(TrainingNet.hashBytes("update:" + owner))
        .setSampleCount(500)
        .setTrainLoss(412_000)
        .setBlobLocation("http://owner-" + owner + "/blobs/1")
        .build();
  }

  /** Accepts every update; the scores split 1,000,000 ppm evenly (5,000 each). */
  private static CommitRound commit(Hash job, Round round) {
    CommitRound.Builder c =
        CommitRound.newBuilder()
            .setJobId(job.toByteString())
            .setRound(1)
            .setAggregateHash(TrainingNet.hashBytes("aggregate"))
            .setBlobLocation("http://aggregator/blobs/1");
    for (Submission s : round.getSubmissionsList()) {
      c.addAccepted(s.getUpdateHash());
      c.addScores(Score.newBuilder().setParticipant(s.getParticipant()).setPpm(1_000_000 / OWNERS));
    }
    return c.build();
  }

  private static ReportEvaluation evaluation(Hash job, ByteString aggregate, int owner) {
    return ReportEvaluation.newBuilder()
        .setJobId(job.toByteString())
        .setRound(1)
        .setAggregateHash(aggregate)
        .setSampleCount(100)
        .addMetrics(Metric.newBuilder().setName("accuracy_ppm").setValue(600_000 + owner))
        .build();
  }

  /** Counts the bytes (key and value) of the state leaves each committed block puts. */
  private static final class StateWriteCounter implements KeyValueStore {
    private final KeyValueStore delegate;
    private long lastCommit;

    StateWriteCounter(KeyValueStore delegate) {
      this.delegate = delegate;
    }

    /** Runs block (which must apply exactly one block) and returns its state-leaf bytes. */
    long measure(Runnable block) {
      lastCommit = -1;
      block.run();
      assertThat(lastCommit).as("one block committed").isNotNegative();
      return lastCommit;
    }

    @Override
    public byte[] get(Column column, byte[] key) {
      return delegate.get(column, key);
    }

    @Override
    public void scan(Column column, byte[] from, byte[] to, BiConsumer<byte[], byte[]> visitor) {
      delegate.scan(column, from, to, visitor);
    }

    @Override
    public void commit(WriteSet batch) {
      long bytes = 0;
      for (WriteSet.Op op : batch.ops()) {
        if (op.column() == Column.STATE_LEAVES) {
          bytes += op.key().length + (op.value() == null ? 0 : op.value().length);
        }
      }
      lastCommit = bytes;
      delegate.commit(batch);
    }

    @Override
    public void checkpoint(Path target) {
      delegate.checkpoint(target);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
