package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.training.Advance;
import org.fedledger.core.proto.training.AttestRound;
import org.fedledger.core.proto.training.Attestation;
import org.fedledger.core.proto.training.CancelJob;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.ReportMetrics;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.core.proto.training.StartJob;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.core.proto.training.SubmitUpdate;
import org.fedledger.core.proto.training.WithdrawEscrow;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.ValidatorInfo;
import org.fedledger.ledger.bank.BankKeeper;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.MessageType;
import org.fedledger.ledger.module.Module;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.StoreKey;
import org.fedledger.ledger.module.TxFailedException;
import org.fedledger.ledger.registry.RegistryKeeper;
import org.fedledger.ledger.staking.StakingKeeper;

/**
 * Training jobs. Messages (module "training"): CreateJob, JoinJob, StartJob, SubmitUpdate,
 * CommitRound, AttestRound, ReportMetrics, Advance, CancelJob, WithdrawEscrow. Every message about
 * a job first processes the job's passed deadlines ({@link RoundEngine#advance}); if the message
 * then fails, that processing is dropped with it and redone, identically, by the next message.
 * State layout: {@link JobStore}. Escrow: {@link #escrowAccount}.
 */
public final class TrainingModule implements Module {
  public static final String NAME = "training";

  /**
   * The most a job may fix for its participants' training (CreateJob {@code local_epochs}, {@code
   * batch_size}, {@code learning_rate_micros}; 0 leaves each participant its own setting).
   */
  public static final long MAX_LOCAL_EPOCHS = 100;

  public static final long MAX_BATCH_SIZE = 65_536;
  public static final long MAX_LEARNING_RATE_MICROS = 10_000_000;

  private final StoreKey key = new StoreKey(NAME);
  private final BankKeeper bank;
  private final StakingKeeper staking;
  private final RegistryKeeper registry;
  private final ValidatorSetView validators;
  private final TrainingParams params;
  private final RoundEngine engine;

  public TrainingModule(
      BankKeeper bank,
      StakingKeeper staking,
      RegistryKeeper registry,
      ValidatorSetView validators,
      TrainingParams params) {
    this.bank = Objects.requireNonNull(bank, "bank");
    this.staking = Objects.requireNonNull(staking, "staking");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.validators = Objects.requireNonNull(validators, "validators");
    this.params = Objects.requireNonNull(params, "params");
    this.engine = new RoundEngine(bank, staking, registry, validators, params);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<MessageType<?>> messageTypes() {
    return List.of(
        new MessageType<>(
            TrainingMessages.CREATE_JOB, CreateJob::parseFrom, this::create, this::admitCreate),
        new MessageType<>(
            TrainingMessages.JOIN_JOB, JoinJob::parseFrom, this::join, this::admitJoin),
        new MessageType<>(
            TrainingMessages.START_JOB,
            StartJob::parseFrom,
            this::start,
            (m, s, q) -> admitSponsor(m.getJobId(), s, q)),
        MessageType.of(TrainingMessages.SUBMIT_UPDATE, SubmitUpdate::parseFrom, this::submit),
        MessageType.of(TrainingMessages.COMMIT_ROUND, CommitRound::parseFrom, this::commit),
        MessageType.of(TrainingMessages.ATTEST_ROUND, AttestRound::parseFrom, this::attest),
        MessageType.of(
            TrainingMessages.REPORT_METRICS, ReportMetrics::parseFrom, this::reportMetrics),
        MessageType.of(TrainingMessages.ADVANCE, Advance::parseFrom, this::advance),
        new MessageType<>(
            TrainingMessages.CANCEL_JOB,
            CancelJob::parseFrom,
            this::cancel,
            (m, s, q) -> admitSponsor(m.getJobId(), s, q)),
        new MessageType<>(
            TrainingMessages.WITHDRAW_ESCROW,
            WithdrawEscrow::parseFrom,
            this::withdraw,
            (m, s, q) -> admitSponsor(m.getJobId(), s, q)));
  }

  /** The account holding a job's escrowed reward. */
  public static Address escrowAccount(Hash jobId) {
    return RoundEngine.escrow(jobId);
  }

  /** The id CreateJob gives the job it creates: SHA-256("fedledger/training/job" ‖ tx hash). */
  public static Hash jobIdOf(Hash createTxHash) {
    return Sha256.hash(Bytes.utf8("fedledger/training/job"), createTxHash.toByteArray());
  }

  // ---- CreateJob, JoinJob, StartJob ----

  private void admitCreate(CreateJob m, Address sender, QueryContext ctx) throws TxFailedException {
    JobRules.check(m, params);
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
   * Mempool checks that no deadline can change: the job exists, the dataset is the sender's and
   * consents, the stake is enough and affordable.
   */
  private void admitJoin(JoinJob m, Address sender, QueryContext ctx) throws TxFailedException {
    Job job = requireJob(new JobStore(ctx.store(key)), m.getJobId());
    Dataset d =
        registry
            .dataset(ctx, m.getDatasetId())
            .orElseThrow(
                () -> Fail.invalid("dataset '" + m.getDatasetId() + "' is not registered"));
    if (!d.getOwner().equals(bytes(sender))) {
      throw Fail.unauthorized("dataset '" + m.getDatasetId() + "' is not the sender's");
    }
    if (!d.getConsentList().contains(job.getSpec().getRequiredUse())) {
      throw Fail.invalid(
          "dataset '"
              + m.getDatasetId()
              + "' does not consent to '"
              + job.getSpec().getRequiredUse()
              + "'");
    }
    if (m.getStake() < Math.max(1, job.getSpec().getMinStake())) {
      throw Fail.invalid("stake is below the job's minimum of " + job.getSpec().getMinStake());
    }
    if (bank.balance(ctx, sender) < m.getStake()) {
      throw new TxFailedException(
          TxRejection.INSUFFICIENT_BALANCE, "balance does not cover a stake of " + m.getStake());
    }
  }

  private void admitSponsor(ByteString jobId, Address sender, QueryContext ctx)
      throws TxFailedException {
    Job job = requireJob(new JobStore(ctx.store(key)), jobId);
    if (!job.getSponsor().equals(bytes(sender))) {
      throw Fail.unauthorized("only the sponsor of job " + hexId(job) + " may send this");
    }
  }

  private void create(CreateJob m, ExecutionContext ctx) throws TxFailedException {
    JobRules.check(m, params);
    if (!m.getParentModelId().isEmpty() && registry.model(ctx, m.getParentModelId()).isEmpty()) {
      throw Fail.invalid(
          "parent_model_id '" + m.getParentModelId() + "' is not a registered model");
    }
    Hash id = jobIdOf(ctx.txHash());
    JobStore store = store(ctx);
    Address escrow = escrowAccount(id);
    try {
      bank.transfer(ctx, ctx.sender(), escrow, m.getReward());
    } catch (TxFailedException e) {
      throw new TxFailedException(
          e.reason(), "cannot escrow the reward of " + m.getReward() + ": " + e.getMessage());
    }
    Job job =
        Job.newBuilder()
            .setJobId(bytes(id))
            .setSponsor(bytes(ctx.sender()))
            .setSpec(m)
            .setStatus(JobStatus.JOB_OPEN)
            .setEscrowRemaining(m.getReward())
            .setCreatedHeight(ctx.height())
            .setMinUpdates(Math.max(1, m.getMinUpdates()))
            .build();
    store.create(job);
    ctx.events().emit(TrainingEvents.jobCreated(id, ctx.sender(), escrow, m));
  }

  private void join(JoinJob m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = store(ctx);
    Job job = advancedJob(ctx, store, m.getJobId());
    Hash id = RoundEngine.jobId(job);
    if (job.getStatus() != JobStatus.JOB_OPEN && job.getStatus() != JobStatus.JOB_RUNNING) {
      throw Fail.invalid("job " + id.toHex() + " is " + status(job) + "; it takes no participants");
    }
    ByteString sender = bytes(ctx.sender());
    if (store.participant(id, sender).isPresent()) {
      throw Fail.invalid("sender " + ctx.sender() + " has already joined job " + id.toHex());
    }
    if (job.getParticipantsCount() >= params.maxParticipantsPerJob()) {
      throw Fail.invalid("job " + id.toHex() + " is full (" + job.getParticipantsCount() + ")");
    }
    Dataset d =
        registry
            .dataset(ctx, m.getDatasetId())
            .orElseThrow(
                () ->
                    Fail.invalid(
                        "dataset '"
                            + m.getDatasetId()
                            + "' is not registered; send registry/RegisterDataset first"));
    if (!d.getOwner().equals(sender)) {
      throw Fail.unauthorized(
          "dataset '"
              + m.getDatasetId()
              + "' is owned by "
              + TrainingHex.of(d.getOwner())
              + ", not by the sender "
              + ctx.sender());
    }
    String use = job.getSpec().getRequiredUse();
    if (!d.getConsentList().contains(use)) {
      throw Fail.invalid(
          "dataset '"
              + m.getDatasetId()
              + "' does not consent to '"
              + use
              + "' (it allows "
              + d.getConsentList()
              + "); join with a dataset whose owner allows that use");
    }
    long minStake = Math.max(1, job.getSpec().getMinStake());
    if (m.getStake() < minStake) {
      throw Fail.invalid(
          "stake "
              + Long.toUnsignedString(m.getStake())
              + " is below the job's minimum of "
              + minStake);
    }
    try {
      staking.bond(ctx, ctx.sender(), m.getStake());
    } catch (TxFailedException e) {
      throw new TxFailedException(
          e.reason(), "cannot bond a stake of " + m.getStake() + ": " + e.getMessage());
    }
    staking.lock(ctx, ctx.sender(), m.getStake());
    store.putParticipant(
        id,
        ParticipantRecord.newBuilder()
            .setParticipant(sender)
            .setDatasetId(m.getDatasetId())
            .setStake(m.getStake())
            .setJoinedHeight(ctx.height())
            .build());
    store.putJob(job.toBuilder().addParticipants(sender).build());
    ctx.events()
        .emit(
            TrainingEvents.participantJoined(
                id, ctx.sender(), m.getDatasetId(), m.getStake(), job.getParticipantsCount() + 1));
  }

  private void start(StartJob m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = store(ctx);
    Job job = requireJob(store, m.getJobId());
    requireSponsor(job, ctx, "start");
    if (job.getStatus() != JobStatus.JOB_OPEN) {
      throw Fail.invalid("job " + hexId(job) + " is " + status(job) + ", not open; it starts once");
    }
    long needed = job.getSpec().getParticipantsPerRound();
    if (job.getParticipantsCount() < needed) {
      throw Fail.invalid(
          "job "
              + hexId(job)
              + " has "
              + job.getParticipantsCount()
              + " participants; it needs "
              + needed
              + " (participants_per_round) to start");
    }
    Job running = job.toBuilder().setStatus(JobStatus.JOB_RUNNING).setCurrentRound(1).build();
    store.putJob(running);
    ctx.events().emit(TrainingEvents.jobStarted(RoundEngine.jobId(job)));
    engine.open(ctx, store, running, 1, 0);
  }

  // ---- SubmitUpdate, CommitRound, AttestRound ----

  private void submit(SubmitUpdate m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = store(ctx);
    Job job = advancedJob(ctx, store, m.getJobId());
    Round round = currentRound(store, job, m.getRound(), "submit an update");
    Hash id = RoundEngine.jobId(job);
    ByteString sender = bytes(ctx.sender());
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
    if (!round.getSelectedList().contains(sender)) {
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
    for (Submission s : round.getSubmissionsList()) {
      if (s.getParticipant().equals(sender)) {
        throw Fail.invalid(
            "sender "
                + ctx.sender()
                + " already submitted an update for round "
                + round.getRound());
      }
      if (s.getUpdateHash().equals(m.getUpdateHash())) {
        throw Fail.invalid(
            "update "
                + update.toHex()
                + " was already submitted by "
                + TrainingHex.of(s.getParticipant()));
      }
    }
    ParticipantRecord p = store.participant(id, sender).orElseThrow();
    long samples = registry.dataset(ctx, p.getDatasetId()).orElseThrow().getSampleCount();
    JobRules.range("sample_count", m.getSampleCount(), 1, samples);
    if (m.getBlobLocation().isEmpty() || m.getBlobLocation().length() > JobRules.MAX_LOCATION) {
      throw Fail.invalid("blob_location must be 1-" + JobRules.MAX_LOCATION + " characters");
    }
    Round updated =
        round.toBuilder()
            .addSubmissions(
                Submission.newBuilder()
                    .setParticipant(sender)
                    .setDatasetId(p.getDatasetId())
                    .setUpdateHash(m.getUpdateHash())
                    .setSampleCount(m.getSampleCount())
                    .setTrainLoss(m.getTrainLoss())
                    .setBlobLocation(m.getBlobLocation())
                    .setHeight(ctx.height()))
            .build();
    store.putRound(id, updated);
    ctx.events().emit(TrainingEvents.updateSubmitted(id, updated, ctx.sender(), m));
  }

  private void commit(CommitRound m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = store(ctx);
    Job job = advancedJob(ctx, store, m.getJobId());
    Round round = currentRound(store, job, m.getRound(), "commit");
    Hash id = RoundEngine.jobId(job);
    RoundPhase phase = RoundPhase.of(job, round, ctx.height());
    if (phase.awaitsAttestations()) {
      throw Fail.invalid(
          "round " + round.getRound() + " already has a commit awaiting attestations");
    }
    ByteString sender = bytes(ctx.sender());
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
              + (round.getSelectedCount() - round.getSubmissionsCount())
              + " selected participants have not submitted; commit after the deadline");
    }
    if (round.getSubmissionsCount() < job.getMinUpdates()) {
      throw Fail.invalid(
          "round has "
              + round.getSubmissionsCount()
              + " updates; the job needs "
              + job.getMinUpdates());
    }
    CommitRules.check(m, round);
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

  private void attest(AttestRound m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = store(ctx);
    Job job = advancedJob(ctx, store, m.getJobId());
    Round round = currentRound(store, job, m.getRound(), "attest");
    Hash id = RoundEngine.jobId(job);
    if (!RoundPhase.of(job, round, ctx.height()).awaitsAttestations()) {
      throw Fail.invalid("round " + round.getRound() + " has no commit awaiting attestations");
    }
    List<ValidatorInfo> set = validators.validators(ctx);
    boolean isValidator = set.stream().anyMatch(v -> v.publicKey().equals(ctx.senderKey()));
    if (!isValidator) {
      throw Fail.unauthorized("only validators attest rounds; " + ctx.sender() + " is not one");
    }
    ByteString sender = bytes(ctx.sender());
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
    Hash got = JobRules.hash32("aggregate_hash", m.getAggregateHash().toByteArray());
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
        set.stream().filter(v -> !bytes(v.address()).equals(round.getCommitter())).count();
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
   * Counts of a round's attestations: matching the commit, and the largest other outcome. An
   * outcome is the aggregate hash followed by the server state hash (if any): an attestation
   * matches only if it agrees on both.
   */
  private record Tally(long matching, long topOtherCount, ByteString topOther) {
    static Tally of(Round round) {
      ByteString committed = outcome(round.getCommit());
      java.util.TreeMap<ByteString, Long> counts =
          new java.util.TreeMap<>(ByteString.unsignedLexicographicalComparator());
      for (Attestation a : round.getAttestationsList()) {
        counts.merge(a.getAggregateHash().concat(a.getServerStateHash()), 1L, Long::sum);
      }
      long matching = counts.getOrDefault(committed, 0L);
      long top = 0;
      ByteString topOutcome = ByteString.EMPTY;
      for (var e : counts.entrySet()) {
        if (!e.getKey().equals(committed) && e.getValue() > top) {
          top = e.getValue();
          topOutcome = e.getKey();
        }
      }
      return new Tally(matching, top, topOutcome);
    }

    static ByteString outcome(CommitRound c) {
      return c.getAggregateHash().concat(c.getServerStateHash());
    }

    static ByteString outcome(AttestRound a) {
      return a.getAggregateHash().concat(a.getServerStateHash());
    }

    /** "aggregate H" or "aggregate H with server state S". */
    static String describe(ByteString outcome) {
      String aggregate = "aggregate " + TrainingHex.orEmpty(outcome.substring(0, Hash.LENGTH));
      return outcome.size() > Hash.LENGTH
          ? aggregate + " with server state " + TrainingHex.orEmpty(outcome.substring(Hash.LENGTH))
          : aggregate;
    }
  }

  // ---- ReportMetrics ----

  /**
   * The committer's metrics on its committed aggregate, reported after the commit so that
   * evaluating the new weights is not on the round's critical path. They are written into the
   * round's commit, where every reader (and the model's lineage, at completion) finds them as if
   * the CommitRound had carried them.
   */
  private void reportMetrics(ReportMetrics m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = store(ctx);
    Job job = advancedJob(ctx, store, m.getJobId());
    Hash id = RoundEngine.jobId(job);
    if (job.getStatus() != JobStatus.JOB_RUNNING) {
      throw Fail.invalid(
          "cannot report metrics: job "
              + id.toHex()
              + " is "
              + status(job)
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
    if (!round.getCommitter().equals(bytes(ctx.sender()))) {
      throw Fail.unauthorized(
          "only round "
              + round.getRound()
              + "'s committer "
              + TrainingHex.of(round.getCommitter())
              + " may report metrics on its aggregate, not "
              + ctx.sender());
    }
    Hash aggregate = JobRules.hash32("aggregate_hash", m.getAggregateHash().toByteArray());
    if (!round.getCommit().getAggregateHash().equals(m.getAggregateHash())) {
      throw Fail.invalid(
          "round "
              + round.getRound()
              + " committed aggregate "
              + Hash.of(round.getCommit().getAggregateHash()).toHex()
              + ", not "
              + aggregate.toHex());
    }
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

  // ---- Advance, CancelJob, WithdrawEscrow ----

  private void advance(Advance m, ExecutionContext ctx) throws TxFailedException {
    advancedJob(ctx, store(ctx), m.getJobId());
  }

  private void cancel(CancelJob m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = store(ctx);
    Job job = requireJob(store, m.getJobId());
    requireSponsor(job, ctx, "cancel");
    boolean cancellable =
        job.getStatus() == JobStatus.JOB_OPEN
            || (job.getStatus() == JobStatus.JOB_RUNNING && job.getCurrentRound() <= 1);
    if (!cancellable) {
      throw Fail.invalid(
          "job "
              + hexId(job)
              + " is "
              + status(job)
              + (job.getStatus() == JobStatus.JOB_RUNNING
                  ? " and a round has finalized; it can no longer be cancelled"
                  : "; only an open job, or one whose first round has not finalized, is cancelled"));
    }
    Hash id = RoundEngine.jobId(job);
    long refund = job.getEscrowRemaining();
    bank.transfer(ctx, escrowAccount(id), ctx.sender(), refund);
    engine.releaseStakes(ctx, store, job);
    store.putJob(
        job.toBuilder()
            .setStatus(JobStatus.JOB_CANCELLED)
            .setEscrowRemaining(0)
            .setFinishedHeight(ctx.height())
            .build());
    ctx.events().emit(TrainingEvents.jobCancelled(id, refund));
  }

  private void withdraw(WithdrawEscrow m, ExecutionContext ctx) throws TxFailedException {
    JobStore store = store(ctx);
    Job job = requireJob(store, m.getJobId());
    requireSponsor(job, ctx, "withdraw the escrow of");
    if (job.getStatus() == JobStatus.JOB_RUNNING) {
      throw Fail.invalid(
          "job "
              + hexId(job)
              + " is running: its escrow pays its remaining rounds and cannot be withdrawn");
    }
    if (job.getStatus() == JobStatus.JOB_OPEN) {
      throw Fail.invalid(
          "job " + hexId(job) + " is open: its escrow is committed; CancelJob refunds it");
    }
    Hash id = RoundEngine.jobId(job);
    Address escrow = escrowAccount(id);
    long extra = bank.balance(ctx, escrow) - job.getEscrowRemaining();
    if (extra <= 0) {
      throw Fail.invalid("job " + hexId(job) + "'s escrow holds nothing beyond what it owes");
    }
    bank.transfer(ctx, escrow, ctx.sender(), extra);
    ctx.events().emit(TrainingEvents.escrowWithdrawn(id, extra));
  }

  // ---- queries ----

  public Optional<Job> job(QueryContext ctx, Hash jobId) {
    return new JobStore(ctx.store(key)).job(jobId);
  }

  /** Jobs in creation order, from index from, at most limit. */
  public List<Job> jobs(QueryContext ctx, long from, int limit) {
    return new JobStore(ctx.store(key)).jobs(from, limit);
  }

  public long jobCount(QueryContext ctx) {
    return new JobStore(ctx.store(key)).jobCount();
  }

  public Optional<Round> round(QueryContext ctx, Hash jobId, long round) {
    return new JobStore(ctx.store(key)).round(jobId, round);
  }

  public Optional<ParticipantRecord> participant(QueryContext ctx, Hash jobId, Address address) {
    return new JobStore(ctx.store(key)).participant(jobId, bytes(address));
  }

  /** Every participant of a job, in join order. */
  public List<ParticipantRecord> participants(QueryContext ctx, Hash jobId) {
    JobStore store = new JobStore(ctx.store(key));
    List<ParticipantRecord> out = new ArrayList<>();
    Optional<Job> job = store.job(jobId);
    if (job.isPresent()) {
      for (ByteString p : job.get().getParticipantsList()) {
        store.participant(jobId, p).ifPresent(out::add);
      }
    }
    return out;
  }

  // ---- helpers ----

  private JobStore store(ExecutionContext ctx) {
    return new JobStore(ctx.store(key));
  }

  private static Job requireJob(JobStore store, ByteString jobId) throws TxFailedException {
    Hash id = JobRules.hash32("job_id", jobId.toByteArray());
    return store
        .job(id)
        .orElseThrow(() -> Fail.invalid("no job " + id.toHex() + "; check the id (hex, 32 bytes)"));
  }

  /** The job after its passed deadlines are processed. */
  private Job advancedJob(ExecutionContext ctx, JobStore store, ByteString jobId)
      throws TxFailedException {
    Job job = requireJob(store, jobId);
    engine.advance(ctx, store, job);
    return store.job(RoundEngine.jobId(job)).orElseThrow();
  }

  private static Round currentRound(JobStore store, Job job, long round, String action)
      throws TxFailedException {
    if (job.getStatus() != JobStatus.JOB_RUNNING) {
      throw Fail.invalid("cannot " + action + ": job " + hexId(job) + " is " + status(job));
    }
    if (round != job.getCurrentRound()) {
      throw Fail.invalid(
          "cannot "
              + action
              + " for round "
              + Long.toUnsignedString(round)
              + ": job "
              + hexId(job)
              + " is in round "
              + job.getCurrentRound());
    }
    return store.round(RoundEngine.jobId(job), round).orElseThrow();
  }

  private static void requireSponsor(Job job, ExecutionContext ctx, String action)
      throws TxFailedException {
    if (!job.getSponsor().equals(bytes(ctx.sender()))) {
      throw Fail.unauthorized("only the sponsor may " + action + " job " + hexId(job));
    }
  }

  private static String hexId(Job job) {
    return RoundEngine.jobId(job).toHex();
  }

  private static String status(Job job) {
    return job.getStatus().name().substring("JOB_".length()).toLowerCase(java.util.Locale.ROOT);
  }

  private static ByteString bytes(Hash h) {
    return h.toByteString();
  }

  private static ByteString bytes(Address a) {
    return a.toByteString();
  }
}
