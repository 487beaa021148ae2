package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.training.Advance;
import org.fedledger.core.proto.training.AttestRound;
import org.fedledger.core.proto.training.BlobRef;
import org.fedledger.core.proto.training.CancelJob;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.ReportEvaluation;
import org.fedledger.core.proto.training.ReportMetrics;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.StartJob;
import org.fedledger.core.proto.training.SubmitUpdate;
import org.fedledger.core.proto.training.WithdrawEscrow;
import org.fedledger.ledger.bank.BankKeeper;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.MessageType;
import org.fedledger.ledger.module.Module;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.StoreKey;
import org.fedledger.ledger.registry.RegistryKeeper;
import org.fedledger.ledger.staking.StakingKeeper;

/**
 * Training jobs: the module's registration and queries. Messages ({@link TrainingMessages}) are
 * handled by {@link JobHandlers} (create, join, start, cancel, withdraw) and {@link RoundHandlers}
 * (submit, commit, attest, report metrics, advance) and {@link EvaluationHandler} (owners'
 * federated evaluation); events are {@link TrainingEvents}; a round's phase at a height is {@link
 * RoundPhase}. Every message about a job first processes the job's passed deadlines ({@link
 * RoundEngine#advance}); if the message then fails, that processing is dropped with it and redone,
 * identically, by the next message. State layout: {@link JobStore}. Escrow: {@link #escrowAccount}.
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
  private final JobHandlers jobHandlers;
  private final RoundHandlers roundHandlers;
  private final EvaluationHandler evaluations;

  public TrainingModule(
      BankKeeper bank,
      StakingKeeper staking,
      RegistryKeeper registry,
      ValidatorSetView validators,
      TrainingParams params) {
    Objects.requireNonNull(bank, "bank");
    Objects.requireNonNull(staking, "staking");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(validators, "validators");
    Objects.requireNonNull(params, "params");
    RoundEngine engine = new RoundEngine(bank, staking, registry, validators, params);
    JobAccess jobs = new JobAccess(key, engine);
    this.jobHandlers = new JobHandlers(bank, staking, registry, params, engine, jobs);
    this.roundHandlers = new RoundHandlers(registry, validators, engine, jobs);
    this.evaluations = new EvaluationHandler(registry, jobs);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<MessageType<?>> messageTypes() {
    JobHandlers j = jobHandlers;
    RoundHandlers r = roundHandlers;
    return List.of(
        new MessageType<>(
            TrainingMessages.CREATE_JOB, CreateJob::parseFrom, j::create, j::admitCreate),
        new MessageType<>(TrainingMessages.JOIN_JOB, JoinJob::parseFrom, j::join, j::admitJoin),
        new MessageType<>(
            TrainingMessages.START_JOB,
            StartJob::parseFrom,
            j::start,
            (m, s, q) -> j.admitSponsor(m.getJobId(), s, q)),
        MessageType.of(TrainingMessages.SUBMIT_UPDATE, SubmitUpdate::parseFrom, r::submit),
        MessageType.of(TrainingMessages.COMMIT_ROUND, CommitRound::parseFrom, r::commit),
        MessageType.of(TrainingMessages.ATTEST_ROUND, AttestRound::parseFrom, r::attest),
        MessageType.of(TrainingMessages.REPORT_METRICS, ReportMetrics::parseFrom, r::reportMetrics),
        MessageType.of(
            TrainingMessages.REPORT_EVALUATION, ReportEvaluation::parseFrom, evaluations::report),
        MessageType.of(TrainingMessages.ADVANCE, Advance::parseFrom, r::advance),
        new MessageType<>(
            TrainingMessages.CANCEL_JOB,
            CancelJob::parseFrom,
            j::cancel,
            (m, s, q) -> j.admitSponsor(m.getJobId(), s, q)),
        new MessageType<>(
            TrainingMessages.WITHDRAW_ESCROW,
            WithdrawEscrow::parseFrom,
            j::withdraw,
            (m, s, q) -> j.admitSponsor(m.getJobId(), s, q)));
  }

  /** The account holding a job's escrowed reward. */
  public static Address escrowAccount(Hash jobId) {
    return RoundEngine.escrow(jobId);
  }

  /** The id CreateJob gives the job it creates: SHA-256("fedledger/training/job" ‖ tx hash). */
  public static Hash jobIdOf(Hash createTxHash) {
    return Sha256.hash(Bytes.utf8("fedledger/training/job"), createTxHash.toByteArray());
  }

  // ---- queries ----

  /** The job, its participants filled in from their own keys. */
  public Optional<Job> job(QueryContext ctx, Hash jobId) {
    return new JobStore(ctx.store(key)).filledJob(jobId);
  }

  /** Jobs in creation order, from index from, at most limit. */
  public List<Job> jobs(QueryContext ctx, long from, int limit) {
    return new JobStore(ctx.store(key)).jobs(from, limit);
  }

  /**
   * Jobs in creation order, from index from, at most limit, and no more once their encoded size
   * passes maxBytes (at least one while any remain): a page whose size a reader can bound.
   */
  public List<Job> jobs(QueryContext ctx, long from, int limit, long maxBytes) {
    return new JobStore(ctx.store(key)).jobs(from, limit, maxBytes);
  }

  /**
   * The open and running jobs, in no particular order: what the agents act on each block, read from
   * an index rather than from every job ever created.
   */
  public List<Job> liveJobs(QueryContext ctx) {
    return new JobStore(ctx.store(key)).liveJobs();
  }

  /** Every job, round and role that names the blob (empty: none does). */
  public List<BlobRef> blobRefs(QueryContext ctx, Hash blob) {
    return new JobStore(ctx.store(key)).blobRefs(blob);
  }

  public long jobCount(QueryContext ctx) {
    return new JobStore(ctx.store(key)).jobCount();
  }

  /** The round, its selection, submissions and evaluations filled in from their own keys. */
  public Optional<Round> round(QueryContext ctx, Hash jobId, long round) {
    return new JobStore(ctx.store(key)).filledRound(jobId, round);
  }

  public Optional<ParticipantRecord> participant(QueryContext ctx, Hash jobId, Address address) {
    return new JobStore(ctx.store(key)).participant(jobId, address.toByteString());
  }

  /** Every participant of a job, in join order. */
  public List<ParticipantRecord> participants(QueryContext ctx, Hash jobId) {
    JobStore store = new JobStore(ctx.store(key));
    List<ParticipantRecord> out = new ArrayList<>();
    Optional<Job> job = store.job(jobId);
    if (job.isPresent()) {
      for (ByteString p : store.participants(job.get())) {
        store.participant(jobId, p).ifPresent(out::add);
      }
    }
    return out;
  }
}
