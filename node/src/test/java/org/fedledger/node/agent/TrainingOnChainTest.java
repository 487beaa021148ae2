package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.learning.aggregate.ServerMomentum;
import org.fedledger.learning.aggregate.ServerState;
import org.fedledger.learning.aggregate.VectorMath;
import org.fedledger.learning.attack.SignFlip;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.simulation.Seeds;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.LocalTrainer;
import org.fedledger.learning.train.OptimizerKind;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.learning.train.TrainResult;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.testing.TrainingNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on the chain, end to end: real Ratis validators over loopback, real RocksDB, agents
 * training Fashion-MNIST subsets, blobs over HTTP.
 */
class TrainingOnChainTest {
  private static LabeledData[] owners;
  private static LabeledData test;

  @TempDir Path dir;

  @BeforeAll
  static void data() throws Exception {
    DataSplit split = Datasets.fashionMnist(Optional.empty());
    owners = OwnerData.dirichlet(split.train(), 4, 1600, 1.0, 7);
    test = OwnerData.sample(split.test(), 500, 8);
  }

  private static TrainConfig train() {
    return new TrainConfig(1, 32, OptimizerKind.SGD, 0.05f, 0f);
  }

  private static JobOptions job(
      String strategy, long minUpdates, long roundBlocks, long commitBlocks) {
    return job("logreg", strategy, minUpdates, roundBlocks, commitBlocks);
  }

  /** Two rounds, every one of four owners each round, of the model preset. */
  private static JobOptions job(
      String preset, String strategy, long minUpdates, long roundBlocks, long commitBlocks) {
    return JobOptions.builder()
        .setModel(ModelSpecs.preset(preset))
        .setRounds(2)
        .setParticipantsPerRound(4)
        .setStrategy(strategy)
        .optMinUpdates(minUpdates)
        .optReward(1_000_000)
        .optStake(10_000)
        .optRoundBlocks(roundBlocks)
        .optCommitBlocks(commitBlocks)
        .optAttestQuorum(1)
        .build();
  }

  @Test
  @Timeout(180)
  void attackerRejectedWrongAggregateRejectedLineageAuditsAndRoundTwoTrainsAtTheScheduledRate()
      throws Exception {
    List<TrainingNetwork.Owner> list = honestOwners(3);
    list.add(new TrainingNetwork.Owner("p3", owners[3], new SignFlip(4.0)));
    // Whichever validator aggregates first commits a tampered aggregate, once.
    AtomicBoolean tampered = new AtomicBoolean();
    UnaryOperator<Weights> faultOnce =
        w -> tampered.compareAndSet(false, true) ? VectorMath.scale(w, 1.01) : w;
    try (TrainingNetwork net =
        TrainingNetwork.start(
            dir, 3, list, 11, test, List.of(faultOnce, faultOnce, faultOnce), train())) {
      // The owners' rate falls along half a cosine to half of it: round 2 trains at 0.025.
      Hash jobId =
          net.createAndStartJob(
              job("multi-krum:3:1", 2, 300, 200), b -> b.setLearningRateSchedule("cosine:0.5"));
      Job done = awaitCompleted(net, jobId, Duration.ofSeconds(150));
      Ledger ledger = net.ledger();
      TrainingState chain = new TrainingState(ledger);

      ParticipantRecord attacker = record(chain, jobId, net, 3);
      assertThat(attacker.getRejected()).isGreaterThan(0);
      assertThat(attacker.getSlashed()).isGreaterThan(0);
      for (int i = 0; i < 3; i++) {
        assertThat(record(chain, jobId, net, i).getReward()).as("reward of p" + i).isGreaterThan(0);
      }
      Round first = chain.round(jobId, 1).orElseThrow();
      assertThat(first.getFailedCommitsList()).isNotEmpty();
      ByteString badAggregator = first.getFailedCommits(0).getAggregator();
      long slashes =
          ledger.query(
              q ->
                  ledger
                      .contracts()
                      .staking()
                      .slashes(q, org.fedledger.core.address.Address.of(badAggregator))
                      .size());
      assertThat(slashes).isGreaterThan(0);
      assertThat(done.getModelId()).isNotEmpty();
      // Round 1's accuracy was reported after its commit (ReportMetrics), the last round's in
      // its commit; the model's lineage has both.
      Model model = model(ledger, done);
      assertThat(model.getRoundsList())
          .allSatisfy(
              l ->
                  assertThat(l.getMetricsList())
                      .extracting(Metric::getName)
                      .contains(AggregateEvaluator.ACCURACY));
      assertThat(model.getMetricsList())
          .extracting(Metric::getName)
          .contains(AggregateEvaluator.ACCURACY);

      AuditReport report = new ModelAuditor(net.auditorSource()).audit(ledger, jobId);
      assertThat(report.problems()).isEmpty();
      assertThat(report.verdict()).isEqualTo("valid");
      assertThat(report.roundsChecked()).isEqualTo(2);

      // Every owner is selected every round, so they train round 2 as soon as round 1's
      // aggregate is committed: from the tampered aggregate first, which they must throw away.
      // (Which owners see each commit before the next block depends on timing: count them all.)
      int submittedAhead = 0;
      int discardedAhead = 0;
      for (TrainingNetwork.Participant p : net.participants()) {
        submittedAhead += p.agent().submittedAhead();
        discardedAhead += p.agent().discardedAhead();
      }
      assertThat(submittedAhead).as("updates trained ahead and submitted").isPositive();
      assertThat(discardedAhead).as("updates trained on the tampered aggregate").isPositive();
      assertHonestUpdatesTrainedFromTheFinalizedGlobal(
          net, jobId, 2, 3, train().withLearningRate(0.05f / 2));
    }
  }

  /**
   * Each of the first honest owners' updates for round r is, bit for bit, what training with config
   * from the round's finalized global weights gives: no update trained ahead from another aggregate
   * got through, and each trained at the round's scheduled rate.
   */
  private static void assertHonestUpdatesTrainedFromTheFinalizedGlobal(
      TrainingNetwork net, Hash jobId, long r, int honest, TrainConfig config) throws Exception {
    TrainingState chain = new TrainingState(net.ledger());
    Job job = chain.job(jobId).orElseThrow();
    Round round = chain.round(jobId, r).orElseThrow();
    Weights global =
        net.auditorSource()
            .weights(chain.globalBefore(job, r), chain.globalLocation(job, r).orElse(null));
    AgentLoop.noGradOnThisThread();
    try (LocalTrainer trainer =
        LocalTrainer.create(ModelSpecs.fromJson(job.getSpec().getModelSpec()))) {
      for (int i = 0; i < honest; i++) {
        Address owner = net.participants().get(i).key().publicKey().address();
        long seed =
            Seeds.localTraining(job.getSpec().getSeed(), r, TrainingState.memberIndex(job, owner));
        TrainResult trained = trainer.train(global, owners[i], config, seed);
        Hash expected =
            Sha256.hash(Safetensors.write(VectorMath.subtract(trained.weights(), global)));
        ByteString submitted =
            round.getSubmissionsList().stream()
                .filter(s -> s.getParticipant().equals(TrainingState.bytes(owner)))
                .findFirst()
                .orElseThrow()
                .getUpdateHash();
        assertThat(TrainingState.hash(submitted)).as("p" + i + "'s round " + r).isEqualTo(expected);
      }
    }
  }

  @Test
  @Timeout(180)
  void killedParticipantCorruptBlobAndStoppedValidatorDoNotStopTheJob() throws Exception {
    List<TrainingNetwork.Owner> list = honestOwners(3);
    list.add(new TrainingNetwork.Owner("p3", owners[3], null, true));
    try (TrainingNetwork net = TrainingNetwork.start(dir, 3, list, 12, null, null, train())) {
      // p2 dies before it can submit anything: every round must wait out its deadline.
      net.killParticipant(2);
      Hash jobId = net.createAndStartJob(job("fedavg", 2, 25, 60));
      TrainingState chain = new TrainingState(net.ledger());
      await(
          Duration.ofMinutes(2),
          "round 1 final",
          () ->
              chain
                  .round(jobId, 1)
                  .map(r -> r.getStatus() == RoundStatus.ROUND_FINAL)
                  .orElse(false));
      net.stopValidator(2);
      Job done = awaitCompleted(net, jobId, Duration.ofSeconds(150));
      TrainingState after = new TrainingState(net.ledger());
      for (long r = 1; r <= 2; r++) {
        Round round = after.round(jobId, r).orElseThrow();
        assertThat(round.getSubmissionsCount()).as("round " + r + " submissions").isEqualTo(3);
        assertThat(round.getCommit().getRejectedList())
            .extracting(Rejection::getReason)
            .anyMatch(reason -> reason.startsWith("blob hash mismatch"));
      }
      assertThat(record(after, jobId, net, 3).getRejected()).isEqualTo(2);
      assertThat(record(after, jobId, net, 2).getAccepted()).isZero();
      assertThat(record(after, jobId, net, 0).getAccepted()).isEqualTo(2);
      assertThat(done.getStatus()).isEqualTo(JobStatus.JOB_COMPLETED);

      // Access from the chain: p1 may not read p0's update, but may read the global model.
      TrainingNetwork.Participant p0 = net.participants().get(0);
      TrainingNetwork.Participant p1 = net.participants().get(1);
      Round last = after.round(jobId, 2).orElseThrow();
      Hash p0Update =
          last.getSubmissionsList().stream()
              .filter(
                  s ->
                      s.getParticipant()
                          .equals(TrainingState.bytes(p0.key().publicKey().address())))
              .map(s -> TrainingState.hash(s.getUpdateHash()))
              .findFirst()
              .orElseThrow();
      org.fedledger.node.blob.BlobClient asP1 =
          new org.fedledger.node.blob.BlobClient(
              p1.key(),
              new org.fedledger.node.blob.BlobStore(dir.resolve("probe")),
              java.time.Clock.systemUTC());
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> asP1.fetch(p0.blobs().url(), p0Update))
          .hasMessageContaining("403")
          .hasMessageContaining("served only to its aggregator and verifiers");
      assertThat(asP1.local().has(p0Update)).isFalse();
      Hash model = TrainingState.hash(last.getCommit().getAggregateHash());
      asP1.fetch(last.getCommit().getBlobLocation(), model);
      assertThat(asP1.local().has(model)).isTrue();
    }
  }

  @Test
  @Timeout(180)
  void fedAvgMMomentumIsRecordedEachRoundAttestedAndReplayedByTheAuditor() throws Exception {
    List<TrainingNetwork.Owner> list = honestOwners(4);
    try (TrainingNetwork net = TrainingNetwork.start(dir, 3, list, 13, null, null, train())) {
      Hash jobId = net.createAndStartJob(job("fedavgm", 4, 300, 300));
      awaitCompleted(net, jobId, Duration.ofSeconds(150));
      TrainingState chain = new TrainingState(net.ledger());
      List<ByteString> states = new ArrayList<>();
      for (long r = 1; r <= 2; r++) {
        Round round = chain.round(jobId, r).orElseThrow();
        ByteString state = round.getCommit().getServerStateHash();
        assertThat(state.size()).as("round " + r + " server state hash").isEqualTo(32);
        assertThat(round.getAttestationsList())
            .isNotEmpty()
            .allSatisfy(a -> assertThat(a.getServerStateHash()).isEqualTo(state));
        byte[] blob =
            net.auditorSource().get(TrainingState.hash(state), round.getCommit().getBlobLocation());
        assertThat(ServerState.decode(blob).buffer(ServerMomentum.BUFFER)).isNotNull();
        assertThat(ServerState.decode(blob).step()).isEqualTo(r);
        states.add(state);
      }
      assertThat(states.get(1)).isNotEqualTo(states.get(0));

      AuditReport report = new ModelAuditor(net.auditorSource()).audit(net.ledger(), jobId);
      assertThat(report.problems()).isEmpty();
      assertThat(report.verdict()).isEqualTo("valid");
    }
  }

  @Test
  @Timeout(180)
  void jobsOfDifferentModelsOnOneNetworkAreEachEvaluatedWithTheirOwnModel() throws Exception {
    List<TrainingNetwork.Owner> list = honestOwners(4);
    try (TrainingNetwork net = TrainingNetwork.start(dir, 3, list, 14, test, null, train())) {
      Hash logreg = net.createAndStartJob(job("fedavg", 4, 300, 300));
      awaitCompleted(net, logreg, Duration.ofSeconds(150));
      Hash second = net.createAndStartJob(job("mlp", "fedavg", 4, 300, 300));
      Job done = awaitCompleted(net, second, Duration.ofSeconds(150));

      for (Hash id : List.of(logreg, second)) {
        Model model = model(net.ledger(), new TrainingState(net.ledger()).job(id).orElseThrow());
        assertThat(model.getRoundsList())
            .as("rounds of job %s", id)
            .hasSize(2)
            .allSatisfy(
                l ->
                    assertThat(l.getMetricsList())
                        .extracting(Metric::getName)
                        .contains(AggregateEvaluator.ACCURACY));
      }
      Job first = new TrainingState(net.ledger()).job(logreg).orElseThrow();
      assertThat(done.getSpec().getModelSpec()).isNotEqualTo(first.getSpec().getModelSpec());
    }
  }

  /** Owners p0..p(n-1) with the first n data sets, none of them attacking (a list to add to). */
  private static List<TrainingNetwork.Owner> honestOwners(int n) {
    List<TrainingNetwork.Owner> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new TrainingNetwork.Owner("p" + i, owners[i], null));
    }
    return list;
  }

  /** The model a completed job registered. */
  private static Model model(Ledger ledger, Job completed) {
    return ledger
        .query(q -> ledger.contracts().registry().model(q, completed.getModelId()))
        .orElseThrow();
  }

  private static ParticipantRecord record(
      TrainingState chain, Hash jobId, TrainingNetwork net, int i) {
    return chain
        .participant(jobId, net.participants().get(i).key().publicKey().address())
        .orElseThrow();
  }

  private static Job awaitCompleted(TrainingNetwork net, Hash jobId, Duration timeout)
      throws InterruptedException {
    await(
        timeout,
        "job completed",
        () ->
            new TrainingState(net.ledger())
                .job(jobId)
                .map(j -> j.getStatus() == JobStatus.JOB_COMPLETED)
                .orElse(false));
    return new TrainingState(net.ledger()).job(jobId).orElseThrow();
  }

  private static void await(Duration timeout, String what, BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }
}
