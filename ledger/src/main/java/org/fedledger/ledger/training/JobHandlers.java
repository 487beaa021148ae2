package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.training.CancelJob;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.DpAccounting;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.StartJob;
import org.fedledger.core.proto.training.WithdrawEscrow;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.bank.BankKeeper;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.TxFailedException;
import org.fedledger.ledger.registry.RegistryKeeper;
import org.fedledger.ledger.staking.StakingKeeper;

/**
 * The handlers of a job's life outside its rounds: CreateJob, JoinJob, StartJob, CancelJob,
 * WithdrawEscrow, and their mempool checks. A join is checked by one rule, {@link
 * JobRules#checkJoin}, both in the mempool and when it executes.
 */
final class JobHandlers {
  private final BankKeeper bank;
  private final StakingKeeper staking;
  private final RegistryKeeper registry;
  private final TrainingParams params;
  private final RoundEngine engine;
  private final JobAccess jobs;

  JobHandlers(
      BankKeeper bank,
      StakingKeeper staking,
      RegistryKeeper registry,
      TrainingParams params,
      RoundEngine engine,
      JobAccess jobs) {
    this.bank = bank;
    this.staking = staking;
    this.registry = registry;
    this.params = params;
    this.engine = engine;
    this.jobs = jobs;
  }

  void admitCreate(CreateJob m, Address sender, QueryContext ctx) throws TxFailedException {
    JobRules.check(m, params);
    JobPrivacy.accounting(m);
    long balance = bank.balance(ctx, sender);
    if (balance < m.getReward()) {
      throw new TxFailedException(
          TxRejection.INSUFFICIENT_BALANCE,
          "sponsor "
              + sender
              + " holds "
              + balance
              + ", cannot escrow a reward of "
              + m.getReward());
    }
  }

  /**
   * Mempool checks that no deadline can change: the job exists, {@link JobRules#checkJoin} (the
   * same rule execution reads), and the stake is affordable.
   */
  void admitJoin(JoinJob m, Address sender, QueryContext ctx) throws TxFailedException {
    Job job = JobAccess.requireJob(jobs.store(ctx), m.getJobId());
    Optional<Dataset> dataset = registry.dataset(ctx, m.getDatasetId());
    JobRules.checkJoin(job, m, sender, dataset);
    JobPrivacy.checkCovers(job, dataset.get(), registry.privacyAccount(ctx, m.getDatasetId()));
    if (bank.balance(ctx, sender) < m.getStake()) {
      throw new TxFailedException(
          TxRejection.INSUFFICIENT_BALANCE, "balance does not cover a stake of " + m.getStake());
    }
  }

  void admitSponsor(ByteString jobId, Address sender, QueryContext ctx) throws TxFailedException {
    Job job = JobAccess.requireJob(jobs.store(ctx), jobId);
    if (!job.getSponsor().equals(sender.toByteString())) {
      throw Fail.unauthorized("only the sponsor of job " + JobAccess.hexId(job) + " may send this");
    }
  }

  void create(CreateJob m, ExecutionContext ctx) throws TxFailedException {
    JobRules.check(m, params);
    Optional<DpAccounting> dp = JobPrivacy.accounting(m);
    if (!m.getParentModelId().isEmpty() && registry.model(ctx, m.getParentModelId()).isEmpty()) {
      throw Fail.invalid(
          "parent_model_id '" + m.getParentModelId() + "' is not a registered model");
    }
    Hash id = TrainingModule.jobIdOf(ctx.txHash());
    JobStore store = jobs.store(ctx);
    Address escrow = TrainingModule.escrowAccount(id);
    try {
      bank.transfer(ctx, ctx.sender(), escrow, m.getReward());
    } catch (TxFailedException e) {
      throw new TxFailedException(
          e.reason(), "cannot escrow the reward of " + m.getReward() + ": " + e.getMessage());
    }
    Job.Builder job =
        Job.newBuilder()
            .setJobId(id.toByteString())
            .setSponsor(ctx.sender().toByteString())
            .setSpec(m)
            .setStatus(JobStatus.JOB_OPEN)
            .setEscrowRemaining(m.getReward())
            .setCreatedHeight(ctx.height())
            .setMinUpdates(Math.max(1, m.getMinUpdates()));
    dp.ifPresent(job::setDpAccounting);
    store.create(job.build());
    ctx.events().emit(TrainingEvents.jobCreated(id, ctx.sender(), escrow, m, dp));
  }

  void join(JoinJob m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = jobs.store(ctx);
    Job job = jobs.advancedJob(ctx, store, m.getJobId());
    Hash id = RoundEngine.jobId(job);
    if (job.getStatus() != JobStatus.JOB_OPEN && job.getStatus() != JobStatus.JOB_RUNNING) {
      throw Fail.invalid(
          "job " + id.toHex() + " is " + JobAccess.status(job) + "; it takes no participants");
    }
    ByteString sender = ctx.sender().toByteString();
    if (store.participant(id, sender).isPresent()) {
      throw Fail.invalid("sender " + ctx.sender() + " has already joined job " + id.toHex());
    }
    if (job.getParticipantTotal() >= params.maxParticipantsPerJob()) {
      throw Fail.invalid("job " + id.toHex() + " is full (" + job.getParticipantTotal() + ")");
    }
    JobRules.checkJoin(job, m, ctx.sender(), registry.dataset(ctx, m.getDatasetId()));
    if (job.hasDpAccounting()) {
      // Refused, with the dataset's remainder, if the budget cannot cover the whole job.
      registry.reservePrivacy(ctx, m.getDatasetId(), id, JobPrivacy.cost(job));
    }
    try {
      staking.bond(ctx, ctx.sender(), m.getStake());
    } catch (TxFailedException e) {
      throw new TxFailedException(
          e.reason(), "cannot bond a stake of " + m.getStake() + ": " + e.getMessage());
    }
    staking.lock(ctx, ctx.sender(), m.getStake());
    Job joined =
        store.addParticipant(
            job,
            ParticipantRecord.newBuilder()
                .setParticipant(sender)
                .setDatasetId(m.getDatasetId())
                .setStake(m.getStake())
                .setJoinedHeight(ctx.height())
                .build());
    ctx.events()
        .emit(
            TrainingEvents.participantJoined(
                id, ctx.sender(), m.getDatasetId(), m.getStake(), joined.getParticipantTotal()));
  }

  void start(StartJob m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = jobs.store(ctx);
    Job job = JobAccess.requireJob(store, m.getJobId());
    JobAccess.requireSponsor(job, ctx, "start");
    if (job.getStatus() != JobStatus.JOB_OPEN) {
      throw Fail.invalid(
          "job "
              + JobAccess.hexId(job)
              + " is "
              + JobAccess.status(job)
              + ", not open; it starts once");
    }
    long needed = job.getSpec().getParticipantsPerRound();
    if (job.getParticipantTotal() < needed) {
      throw Fail.invalid(
          "job "
              + JobAccess.hexId(job)
              + " has "
              + job.getParticipantTotal()
              + " participants; it needs "
              + needed
              + " (participants_per_round) to start");
    }
    // A job that standardizes starts with its statistics step, round 0.
    long first = job.getSpec().getStandardize() ? RoundEngine.STATISTICS_ROUND : 1;
    Job running = job.toBuilder().setStatus(JobStatus.JOB_RUNNING).setCurrentRound(first).build();
    store.putJob(running);
    ctx.events().emit(TrainingEvents.jobStarted(RoundEngine.jobId(job)));
    engine.open(ctx, store, running, first, 0);
  }

  void cancel(CancelJob m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = jobs.store(ctx);
    Job job = JobAccess.requireJob(store, m.getJobId());
    JobAccess.requireSponsor(job, ctx, "cancel");
    boolean cancellable =
        job.getStatus() == JobStatus.JOB_OPEN
            || (job.getStatus() == JobStatus.JOB_RUNNING && job.getCurrentRound() <= 1);
    // Once round 1 has a commit its aggregate can be fetched: cancelling then would refund the
    // whole escrow for a model the participants trained (issue #21). Refused rather than paying
    // them: the round's own finalization pays them, by score, as every round does.
    if (cancellable
        && job.getCurrentRound() == 1
        && store.round(RoundEngine.jobId(job), 1).map(Round::hasCommit).orElse(false)) {
      throw Fail.invalid(
          "job "
              + JobAccess.hexId(job)
              + "'s round 1 has a committed aggregate, which the sponsor can fetch; it can no"
              + " longer be cancelled (the round pays its participants when it finalizes)");
    }
    if (!cancellable) {
      throw Fail.invalid(
          "job "
              + JobAccess.hexId(job)
              + " is "
              + JobAccess.status(job)
              + (job.getStatus() == JobStatus.JOB_RUNNING
                  ? " and a round has finalized; it can no longer be cancelled"
                  : "; only an open job, or one whose first round has not finalized, is cancelled"));
    }
    Hash id = RoundEngine.jobId(job);
    long refund = job.getEscrowRemaining();
    bank.transfer(ctx, TrainingModule.escrowAccount(id), ctx.sender(), refund);
    engine.releaseStakes(ctx, store, job);
    engine.releasePrivacy(ctx, store, job);
    store.putJob(
        job.toBuilder()
            .setStatus(JobStatus.JOB_CANCELLED)
            .setEscrowRemaining(0)
            .setFinishedHeight(ctx.height())
            .build());
    ctx.events().emit(TrainingEvents.jobCancelled(id, refund));
  }

  void withdraw(WithdrawEscrow m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = jobs.store(ctx);
    Job job = JobAccess.requireJob(store, m.getJobId());
    JobAccess.requireSponsor(job, ctx, "withdraw the escrow of");
    if (job.getStatus() == JobStatus.JOB_RUNNING) {
      throw Fail.invalid(
          "job "
              + JobAccess.hexId(job)
              + " is running: its escrow pays its remaining rounds and cannot be withdrawn");
    }
    if (job.getStatus() == JobStatus.JOB_OPEN) {
      throw Fail.invalid(
          "job "
              + JobAccess.hexId(job)
              + " is open: its escrow is committed; CancelJob refunds it");
    }
    Hash id = RoundEngine.jobId(job);
    Address escrow = TrainingModule.escrowAccount(id);
    long extra = bank.balance(ctx, escrow) - job.getEscrowRemaining();
    if (extra <= 0) {
      throw Fail.invalid(
          "job " + JobAccess.hexId(job) + "'s escrow holds nothing beyond what it owes");
    }
    bank.transfer(ctx, escrow, ctx.sender(), extra);
    ctx.events().emit(TrainingEvents.escrowWithdrawn(id, extra));
  }
}
