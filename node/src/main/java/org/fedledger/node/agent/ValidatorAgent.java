package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.AttestRound;
import org.fedledger.core.proto.training.Attestation;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.Evaluation;
import org.fedledger.learning.train.LocalTrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A validator's training agent, in both roles. As a round's aggregator (the chain names it): once
 * updates are closed it fetches them, checks their hashes, runs the job's strategy ({@link
 * RoundAggregation}), stores the new global weights as a blob it serves and submits CommitRound
 * (with accuracy on its evaluation set, if it has one, as a metric). As a verifier (every other
 * validator): it re-runs the same aggregation from the same blobs and submits AttestRound with the
 * hash it got.
 */
public final class ValidatorAgent extends AgentLoop {
  private static final Logger log = LoggerFactory.getLogger(ValidatorAgent.class);

  private final TxSender tx;
  private final BlobSource blobs;
  private final String blobUrl;
  private final LabeledData evaluation;
  private final UnaryOperator<Weights> fault;
  private final Set<String> done = new HashSet<>();
  private LocalTrainer evaluator;

  /**
   * @param evaluation test data to report accuracy on, or null
   * @param fault applied to the aggregate before it is committed: identity for an honest node, a
   *     tampering function to test that verifiers catch a wrong aggregate
   */
  public ValidatorAgent(
      String name,
      TxSender tx,
      BlobSource blobs,
      String blobUrl,
      LabeledData evaluation,
      UnaryOperator<Weights> fault) {
    super(name);
    this.tx = tx;
    this.blobs = blobs;
    this.blobUrl = blobUrl;
    this.evaluation = evaluation;
    this.fault = fault;
  }

  public ValidatorAgent start() {
    start(tx.chain());
    return this;
  }

  @Override
  void step() throws Exception {
    TrainingState chain = new TrainingState(tx.chain().ledger());
    ByteString me = TrainingState.bytes(tx.address());
    for (Job job : chain.runningJobs()) {
      Hash id = TrainingState.id(job);
      Round round = chain.round(id, job.getCurrentRound()).orElse(null);
      if (round == null) {
        continue;
      }
      if (round.getStatus() == RoundStatus.ROUND_OPEN && round.getAggregator().equals(me)) {
        boolean closedForUpdates =
            round.getSubmissionsCount() == round.getSelectedCount()
                || chain.height() > round.getUpdateDeadline();
        String key =
            "agg/" + id.toHex() + "/" + round.getRound() + "/" + round.getAggregatorAttempt();
        if (closedForUpdates
            && round.getSubmissionsCount() >= job.getMinUpdates()
            && done.add(key)) {
          try {
            aggregate(chain, job, round);
          } catch (Exception e) {
            done.remove(key); // retried on the next block
            throw e;
          }
        }
      } else if (round.getStatus() == RoundStatus.ROUND_COMMITTED
          && !round.getCommitter().equals(me)
          && chain.isValidator(tx.address())) {
        boolean attested = false;
        for (Attestation a : round.getAttestationsList()) {
          attested |= a.getValidator().equals(me);
        }
        String key =
            "att/"
                + id.toHex()
                + "/"
                + round.getRound()
                + "/"
                + TrainingState.hash(round.getCommit().getAggregateHash()).toHex();
        if (!attested && done.add(key)) {
          try {
            verify(chain, job, round);
          } catch (Exception e) {
            done.remove(key);
            throw e;
          }
        }
      }
    }
  }

  private void aggregate(TrainingState chain, Job job, Round round) throws Exception {
    long r = round.getRound();
    Weights global =
        blobs.weights(chain.globalBefore(job, r), chain.globalLocation(job, r).orElse(null));
    RoundUpdates updates = RoundUpdates.fetch(blobs, round.getSubmissionsList(), Map.of());
    RoundAggregation.Outcome outcome;
    try {
      outcome =
          RoundAggregation.run(
              job.getSpec().getStrategy(),
              global,
              round.getSubmissionsList(),
              updates.fetched(),
              updates.unavailable());
    } catch (IllegalStateException e) {
      log.warn("{}: cannot aggregate round {}: {}", name(), r, e.getMessage());
      return;
    }
    Weights committed = fault.apply(outcome.newGlobal());
    Hash hash = blobs.client().local().put(Safetensors.write(committed));
    List<Metric> metrics = new ArrayList<>();
    if (evaluation != null) {
      if (evaluator == null) {
        evaluator = LocalTrainer.create(ModelSpecs.fromJson(job.getSpec().getModelSpec()));
      }
      noGradOnThisThread();
      Evaluation e = evaluator.evaluate(committed, evaluation);
      metrics.add(metric("accuracy_ppm", Math.round(e.accuracy() * 1e6)));
      if (Double.isFinite(e.loss())) {
        metrics.add(metric("loss_micro", Math.round(e.loss() * 1e6)));
      }
    }
    tx.send(
        "training",
        "CommitRound",
        CommitRound.newBuilder()
            .setJobId(job.getJobId())
            .setRound(r)
            .setAggregateHash(ByteString.copyFrom(hash.toByteArray()))
            .addAllAccepted(outcome.accepted())
            .addAllRejected(outcome.rejected())
            .addAllScores(outcome.scores())
            .addAllMetrics(metrics)
            .setBlobLocation(blobUrl)
            .build());
    log.info(
        "{}: committed round {} aggregate {} ({} accepted, {} rejected)",
        name(),
        r,
        hash.toHex().substring(0, 12),
        outcome.accepted().size(),
        outcome.rejected().size());
  }

  private void verify(TrainingState chain, Job job, Round round) throws Exception {
    long r = round.getRound();
    Map<ByteString, String> honour = new HashMap<>();
    for (Rejection rej : round.getCommit().getRejectedList()) {
      if (rej.getReason().startsWith(RoundAggregation.BLOB_REASON)) {
        honour.put(rej.getUpdateHash(), rej.getReason());
      }
    }
    Weights global =
        blobs.weights(chain.globalBefore(job, r), chain.globalLocation(job, r).orElse(null));
    RoundUpdates updates = RoundUpdates.fetch(blobs, round.getSubmissionsList(), honour);
    RoundAggregation.Outcome outcome;
    try {
      outcome =
          RoundAggregation.run(
              job.getSpec().getStrategy(),
              global,
              round.getSubmissionsList(),
              updates.fetched(),
              updates.unavailable());
    } catch (IllegalStateException e) {
      log.warn("{}: cannot re-run round {}: {}", name(), r, e.getMessage());
      return;
    }
    Hash got = outcome.aggregateHash();
    Hash committed = TrainingState.hash(round.getCommit().getAggregateHash());
    if (got.equals(committed)) {
      // Every verifier that agrees also holds (and serves) the new global weights, so the next
      // round does not depend on the aggregator staying up.
      blobs.client().local().put(Safetensors.write(outcome.newGlobal()));
    }
    tx.send(
        "training",
        "AttestRound",
        AttestRound.newBuilder()
            .setJobId(job.getJobId())
            .setRound(r)
            .setAggregateHash(ByteString.copyFrom(got.toByteArray()))
            .build());
    if (got.equals(committed)) {
      log.info("{}: attested round {} ({})", name(), r, got.toHex().substring(0, 12));
    } else {
      log.warn(
          "{}: round {} commit {} does not match the re-run {}",
          name(),
          r,
          committed.toHex().substring(0, 12),
          got.toHex().substring(0, 12));
    }
  }

  private static Metric metric(String name, long value) {
    return Metric.newBuilder().setName(name).setValue(value).build();
  }

  @Override
  void closeResources() {
    if (evaluator != null) {
      evaluator.close();
    }
  }
}
