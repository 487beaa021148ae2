package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.Advance;
import org.fedledger.core.proto.training.AttestRound;
import org.fedledger.core.proto.training.Attestation;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.ReportMetrics;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.core.proto.training.SubmitUpdate;
import org.fedledger.ledger.ValidatorInfo;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.TxFailedException;
import org.fedledger.ledger.registry.RegistryKeeper;

/**
 * The handlers of a running round: SubmitUpdate, CommitRound, AttestRound, ReportMetrics, and
 * Advance (deadline processing only). Each first processes the job's passed deadlines.
 */
final class RoundHandlers {
  private final RegistryKeeper registry;
  private final ValidatorSetView validators;
  private final RoundEngine engine;
  private final JobAccess jobs;

  RoundHandlers(
      RegistryKeeper registry, ValidatorSetView validators, RoundEngine engine, JobAccess jobs) {
    this.registry = registry;
    this.validators = validators;
    this.engine = engine;
    this.jobs = jobs;
  }

  void submit(SubmitUpdate m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = jobs.store(ctx);
    Job job = jobs.advancedJob(ctx, store, m.getJobId());
    Round round = JobAccess.currentRound(store, job, m.getRound(), "submit an update");
    Hash id = RoundEngine.jobId(job);
    ByteString sender = ctx.sender().toByteString();
    if (!RoundPhase.takesUpdates(round, ctx.height())) {
      throw Fail.invalid(
          "round "
              + round.getRound()
              + " of job "
              + id.toHex()
              + " is closed for updates (deadline height "
              + round.getUpdateDeadline()
              + ", now "
              + ctx.height()
              + ")");
    }
    RoundEntries entries = store.entries(id, round.getRound());
    if (!entries.isSelected(sender)) {
      throw Fail.unauthorized(
          "sender "
              + ctx.sender()
              + " is not selected for round "
              + round.getRound()
              + " of job "
              + id.toHex()
              + "; wait for a round that selects it");
    }
    Hash update = JobRules.hash32("update_hash", m.getUpdateHash().toByteArray());
    if (entries.submissionOf(sender).isPresent()) {
      throw Fail.invalid(
          "sender " + ctx.sender() + " already submitted an update for round " + round.getRound());
    }
    Optional<Submission> sameUpdate = entries.submissionOfUpdate(m.getUpdateHash());
    if (sameUpdate.isPresent()) {
      throw Fail.invalid(
          "update "
              + update.toHex()
              + " was already submitted by "
              + TrainingHex.of(sameUpdate.get().getParticipant()));
    }
    ParticipantRecord p = store.participant(id, sender).orElseThrow();
    long samples = registry.dataset(ctx, p.getDatasetId()).orElseThrow().getSampleCount();
    JobRules.range("sample_count", m.getSampleCount(), 1, samples);
    if (m.getBlobLocation().isEmpty() || m.getBlobLocation().length() > JobRules.MAX_LOCATION) {
      throw Fail.invalid("blob_location must be 1-" + JobRules.MAX_LOCATION + " characters");
    }
    if (job.hasDpAccounting()) {
      // The update leaves the owner's machine now: its cost is spent whether or not the
      // aggregator accepts it. Refused if the dataset's budget cannot cover it.
      long n = p.getDpUpdates() + 1;
      JobPrivacy.Priced priced = JobPrivacy.cumulative(job, n);
      registry.spendPrivacy(ctx, p.getDatasetId(), id, n, priced.cumulative());
      store.putParticipant(id, p.toBuilder().setDpUpdates(n).build());
      if (!priced.job().equals(job)) {
        store.putJob(priced.job());
      }
    }
    Round updated =
        store.addSubmission(
            id,
            round,
            Submission.newBuilder()
                .setParticipant(sender)
                .setDatasetId(p.getDatasetId())
                .setUpdateHash(m.getUpdateHash())
                .setSampleCount(m.getSampleCount())
                .setTrainLoss(m.getTrainLoss())
                .setBlobLocation(m.getBlobLocation())
                .setHeight(ctx.height())
                .build());
    ctx.events().emit(TrainingEvents.updateSubmitted(id, updated, ctx.sender(), m));
  }

  void commit(CommitRound m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = jobs.store(ctx);
    Job job = jobs.advancedJob(ctx, store, m.getJobId());
    Round round = JobAccess.currentRound(store, job, m.getRound(), "commit");
    Hash id = RoundEngine.jobId(job);
    RoundPhase phase = RoundPhase.of(job, round, ctx.height());
    if (phase.awaitsAttestations()) {
      throw Fail.invalid(
          "round " + round.getRound() + " already has a commit awaiting attestations");
    }
    ByteString sender = ctx.sender().toByteString();
    if (!round.getAggregator().equals(sender)) {
      throw Fail.unauthorized(
          "only round "
              + round.getRound()
              + "'s aggregator "
              + TrainingHex.of(round.getAggregator())
              + " may commit it, not "
              + ctx.sender());
    }
    if (!phase.updatesClosed()) {
      throw Fail.invalid(
          "round "
              + round.getRound()
              + " takes updates until height "
              + round.getUpdateDeadline()
              + " and "
              + (round.getSelectedTotal() - round.getSubmissionTotal())
              + " selected participants have not submitted; commit after the deadline");
    }
    if (round.getSubmissionTotal() < job.getMinUpdates()) {
      throw Fail.invalid(
          "round has "
              + round.getSubmissionTotal()
              + " updates; the job needs "
              + job.getMinUpdates());
    }
    CommitRules.check(m, round, store.entries(id, round.getRound()).submissions(round));
    List<ValidatorInfo> set = validators.validators(ctx);
    long eligible = set.stream().filter(v -> !v.address().equals(ctx.sender())).count();
    long quorum =
        job.getSpec().getAttestQuorum() == 0 ? set.size() / 2 + 1 : job.getSpec().getAttestQuorum();
    // With fewer other validators than the quorum, all of them must agree; with none (a network
    // of one validator) the aggregator's commit is final, as that validator is trusted anyway.
    quorum = Math.min(quorum, eligible);
    Round committed =
        round.toBuilder()
            .setStatus(RoundStatus.ROUND_COMMITTED)
            .setCommit(m)
            .setCommitter(sender)
            .setCommittedHeight(ctx.height())
            .setQuorum(quorum)
            .setCommitDeadline(Math.addExact(ctx.height(), job.getSpec().getCommitBlocks()))
            .build();
    store.putRound(id, committed);
    ctx.events().emit(TrainingEvents.roundCommitted(id, committed, ctx.sender(), m));
    if (quorum == 0) {
      engine.finalizeRound(ctx, store, job, committed);
    }
  }

  void attest(AttestRound m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = jobs.store(ctx);
    Job job = jobs.advancedJob(ctx, store, m.getJobId());
    Round round = JobAccess.currentRound(store, job, m.getRound(), "attest");
    Hash id = RoundEngine.jobId(job);
    if (!RoundPhase.of(job, round, ctx.height()).awaitsAttestations()) {
      throw Fail.invalid("round " + round.getRound() + " has no commit awaiting attestations");
    }
    List<ValidatorInfo> set = validators.validators(ctx);
    boolean isValidator = set.stream().anyMatch(v -> v.publicKey().equals(ctx.senderKey()));
    if (!isValidator) {
      throw Fail.unauthorized("only validators attest rounds; " + ctx.sender() + " is not one");
    }
    ByteString sender = ctx.sender().toByteString();
    if (round.getCommitter().equals(sender)) {
      throw Fail.unauthorized("the aggregator cannot attest its own commit");
    }
    for (Attestation a : round.getAttestationsList()) {
      if (a.getValidator().equals(sender)) {
        throw Fail.invalid(
            "validator "
                + ctx.sender()
                + " already attested this commit of round "
                + round.getRound());
      }
    }
    JobRules.hash32("aggregate_hash", m.getAggregateHash().toByteArray());
    JobRules.optionalHash32("server_state_hash", m.getServerStateHash());
    Round attested =
        round.toBuilder()
            .addAttestations(
                Attestation.newBuilder()
                    .setValidator(sender)
                    .setAggregateHash(m.getAggregateHash())
                    .setServerStateHash(m.getServerStateHash())
                    .setHeight(ctx.height()))
            .build();
    store.putRound(id, attested);
    ByteString committed = Tally.outcome(round.getCommit());
    ctx.events()
        .emit(
            TrainingEvents.roundAttested(
                id, round.getRound(), ctx.sender(), m, committed.equals(Tally.outcome(m))));
    Tally tally = Tally.of(attested);
    long eligible =
        set.stream().filter(v -> !v.address().toByteString().equals(round.getCommitter())).count();
    long outstanding = Math.max(0, eligible - attested.getAttestationsCount());
    long quorum = attested.getQuorum();
    if (tally.matching() >= quorum) {
      engine.finalizeRound(ctx, store, job, attested);
    } else if (tally.topOtherCount() >= quorum) {
      engine.replaceAggregator(
          ctx,
          store,
          job,
          attested,
          "a quorum of attesters computed "
              + Tally.describe(tally.topOther())
              + ", not the committed "
              + Tally.describe(committed),
          true);
    } else if (tally.matching() + outstanding < quorum
        && tally.topOtherCount() + outstanding < quorum) {
      // Split votes: no hash can reach a quorum any more. Nobody is provably wrong, so nobody is
      // slashed; the next aggregator re-commits.
      engine.replaceAggregator(
          ctx, store, job, attested, "attesters disagree; no aggregate can reach a quorum", false);
    }
  }

  /**
   * The committer's metrics on its committed aggregate, reported after the commit so that
   * evaluating the new weights is not on the round's critical path. They are written into the
   * round's commit, where every reader (and the model's lineage, at completion) finds them as if
   * the CommitRound had carried them.
   */
  void reportMetrics(ReportMetrics m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = jobs.store(ctx);
    Job job = jobs.advancedJob(ctx, store, m.getJobId());
    Hash id = RoundEngine.jobId(job);
    if (job.getStatus() != JobStatus.JOB_RUNNING) {
      throw Fail.invalid(
          "cannot report metrics: job "
              + id.toHex()
              + " is "
              + JobAccess.status(job)
              + "; metrics are reported while it runs");
    }
    if (m.getRound() < 1 || m.getRound() > job.getCurrentRound()) {
      throw Fail.invalid(
          "cannot report metrics for round "
              + Long.toUnsignedString(m.getRound())
              + ": job "
              + id.toHex()
              + " is in round "
              + job.getCurrentRound());
    }
    Round round = store.round(id, m.getRound()).orElseThrow();
    if (round.getStatus() != RoundStatus.ROUND_COMMITTED
        && round.getStatus() != RoundStatus.ROUND_FINAL) {
      throw Fail.invalid("round " + round.getRound() + " has no commit to report metrics on");
    }
    if (!round.getCommitter().equals(ctx.sender().toByteString())) {
      throw Fail.unauthorized(
          "only round "
              + round.getRound()
              + "'s committer "
              + TrainingHex.of(round.getCommitter())
              + " may report metrics on its aggregate, not "
              + ctx.sender());
    }
    JobRules.requireCommittedAggregate(round, m.getAggregateHash(), "");
    if (round.getCommit().getMetricsCount() > 0) {
      throw Fail.invalid(
          "round " + round.getRound() + "'s commit already has metrics; they are reported once");
    }
    if (m.getMetricsCount() == 0) {
      throw Fail.invalid("report at least one metric");
    }
    JobRules.checkMetrics(m.getMetricsList());
    store.putRound(
        id,
        round.toBuilder()
            .setCommit(round.getCommit().toBuilder().addAllMetrics(m.getMetricsList()))
            .build());
    ctx.events()
        .emit(TrainingEvents.roundMetricsReported(id, round.getRound(), m.getMetricsList()));
  }

  void advance(Advance m, ExecutionContext ctx) throws TxFailedException {
    jobs.advancedJob(ctx, jobs.store(ctx), m.getJobId());
  }
}
