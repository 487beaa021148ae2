package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.OwnerEvaluation;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.ReportEvaluation;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.TxFailedException;
import org.fedledger.ledger.registry.RegistryKeeper;

/**
 * ReportEvaluation: federated evaluation (Flower's evaluate step). Each owner a round selected
 * reports, once, the metrics of the round's final aggregate on its local test split; the round
 * keeps the reports and their sample-weighted mean ({@link FederatedMetrics}). A report changes no
 * balance and no round's outcome: it is a record for the sponsor and auditors.
 */
final class EvaluationHandler {
  private final RegistryKeeper registry;
  private final JobAccess jobs;

  EvaluationHandler(RegistryKeeper registry, JobAccess jobs) {
    this.registry = registry;
    this.jobs = jobs;
  }

  void report(ReportEvaluation m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = jobs.store(ctx);
    Job job = jobs.advancedJob(ctx, store, m.getJobId());
    Hash id = RoundEngine.jobId(job);
    if (job.getSpec().getTestFractionPpm() == 0) {
      throw Fail.invalid(
          "job "
              + id.toHex()
              + " names no local test split (test_fraction_ppm 0), so it takes no evaluations");
    }
    Round round = finalRound(store, job, m.getRound());
    ByteString sender = ctx.sender().toByteString();
    RoundEntries entries = store.entries(id, round.getRound());
    if (!entries.isSelected(sender)) {
      throw Fail.unauthorized(
          "sender "
              + ctx.sender()
              + " was not selected for round "
              + round.getRound()
              + " of job "
              + id.toHex()
              + "; only the owners who trained a round evaluate it");
    }
    JobRules.requireCommittedAggregate(round, m.getAggregateHash(), "; evaluate the committed one");
    if (entries.hasEvaluated(sender)) {
      throw Fail.invalid(
          "sender "
              + ctx.sender()
              + " already reported its evaluation of round "
              + round.getRound()
              + "; it is reported once");
    }
    ParticipantRecord p = store.participant(id, sender).orElseThrow();
    long samples = registry.dataset(ctx, p.getDatasetId()).orElseThrow().getSampleCount();
    JobRules.range("sample_count", m.getSampleCount(), 1, samples);
    if (m.getMetricsCount() == 0) {
      throw Fail.invalid("report at least one metric, e.g. accuracy_ppm");
    }
    JobRules.checkMetrics(m.getMetricsList());
    OwnerEvaluation evaluation =
        OwnerEvaluation.newBuilder()
            .setParticipant(sender)
            .setSampleCount(m.getSampleCount())
            .addAllMetrics(m.getMetricsList())
            .build();
    List<Metric> federated = entries.addEvaluation(evaluation).getFederatedMetricsList();
    ctx.events()
        .emit(
            TrainingEvents.evaluationReported(
                id,
                round.getRound(),
                ctx.sender(),
                m.getSampleCount(),
                m.getMetricsList(),
                federated));
  }

  /** Round r of the job, which must be a training round (not the statistics step) and final. */
  private static Round finalRound(JobStore store, Job job, long r) throws TxFailedException {
    Hash id = RoundEngine.jobId(job);
    if (r < 1 || r > job.getCurrentRound()) {
      throw Fail.invalid(
          "cannot report an evaluation for round "
              + Long.toUnsignedString(r)
              + ": job "
              + id.toHex()
              + " has training rounds 1 to "
              + job.getCurrentRound());
    }
    Round round = store.round(id, r).orElseThrow();
    if (round.getStatus() != RoundStatus.ROUND_FINAL) {
      throw Fail.invalid(
          "round "
              + r
              + " of job "
              + id.toHex()
              + " is not final yet; evaluate its aggregate once the verifiers have attested it");
    }
    return round;
  }
}
