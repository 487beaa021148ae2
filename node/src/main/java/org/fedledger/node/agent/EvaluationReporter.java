package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.OwnerEvaluation;
import org.fedledger.core.proto.training.ReportEvaluation;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.Evaluation;
import org.fedledger.learning.train.LocalTrainer;
import org.fedledger.ledger.training.TrainingMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An owner's federated evaluation: when a round that selected it is final, it evaluates the round's
 * aggregate on its local test split and reports the metrics ({@code ReportEvaluation}), once. Runs
 * on its participant agent's thread, after that agent's training, so that evaluating never delays
 * an update.
 */
final class EvaluationReporter {
  private static final Logger log = LoggerFactory.getLogger(EvaluationReporter.class);

  /** A job's view of the owner's data, and a trainer for its model, from the participant agent. */
  interface Owner {
    OwnerJobData data(TrainingState chain, Job job) throws Exception;

    LocalTrainer trainer(Job job);
  }

  private final String name;
  private final TxSender tx;
  private final BlobSource blobs;
  private final Owner owner;
  // Not dropped when a job completes: its last round is evaluated after that.
  private final JobMarks reported = new JobMarks();

  EvaluationReporter(String name, TxSender tx, BlobSource blobs, Owner owner) {
    this.name = name;
    this.tx = tx;
    this.blobs = blobs;
    this.owner = owner;
  }

  /** Reports every evaluation due: the last final rounds of the jobs that selected this owner. */
  void reportDue(TrainingState chain, List<Job> jobs, ByteString me) {
    for (Job job : jobs) {
      boolean live =
          job.getStatus() == JobStatus.JOB_RUNNING || job.getStatus() == JobStatus.JOB_COMPLETED;
      if (!live
          || job.getSpec().getTestFractionPpm() == 0
          || !job.getParticipantsList().contains(me)) {
        continue;
      }
      Hash id = TrainingState.id(job);
      // A running job's previous round is its last final one; a completed job's current round.
      for (long r = Math.max(1, job.getCurrentRound() - 1); r <= job.getCurrentRound(); r++) {
        Optional<Round> round = chain.round(id, r);
        if (round.isPresent() && due(round.get(), me) && reported.add(id, "evaluated/" + r)) {
          try {
            report(chain, job, round.get());
          } catch (Exception e) {
            reported.remove(id, "evaluated/" + r); // tried again on the next block
            log.warn("{}: evaluating round {}: {}", name, r, e.toString());
          }
        }
      }
    }
  }

  /**
   * Whether the job's last round still awaits this owner's evaluation and none is under way: what
   * keeps a completed job, which has left the chain's index of live jobs, in the agent's view.
   */
  boolean awaits(TrainingState chain, Job job, ByteString me) {
    if (job.getSpec().getTestFractionPpm() == 0 || !job.getParticipantsList().contains(me)) {
      return false;
    }
    Hash id = TrainingState.id(job);
    long r = job.getCurrentRound();
    Optional<Round> round = chain.round(id, r);
    return round.isPresent() && due(round.get(), me) && !reported.contains(id, "evaluated/" + r);
  }

  private static boolean due(Round round, ByteString me) {
    if (round.getStatus() != RoundStatus.ROUND_FINAL || !round.getSelectedList().contains(me)) {
      return false;
    }
    for (OwnerEvaluation e : round.getEvaluationsList()) {
      if (e.getParticipant().equals(me)) {
        return false;
      }
    }
    return true;
  }

  private void report(TrainingState chain, Job job, Round round) throws Exception {
    Optional<LabeledData> test = owner.data(chain, job).test();
    if (test.isEmpty()) {
      return; // too little data to hold any out
    }
    ByteString aggregate = round.getCommit().getAggregateHash();
    Weights weights =
        blobs.weights(TrainingState.hash(aggregate), round.getCommit().getBlobLocation());
    Evaluation e = owner.trainer(job).evaluate(weights, test.get());
    List<Metric> metrics = ChainMetrics.of(e);
    tx.send(
        TrainingMessages.MODULE,
        TrainingMessages.REPORT_EVALUATION,
        ReportEvaluation.newBuilder()
            .setJobId(job.getJobId())
            .setRound(round.getRound())
            .setAggregateHash(aggregate)
            .setSampleCount(e.sampleCount())
            .addAllMetrics(metrics)
            .build());
    log.info(
        "{}: round {} evaluated on {} local test samples: {}",
        name,
        round.getRound(),
        e.sampleCount(),
        e.metrics().asMap());
  }
}
