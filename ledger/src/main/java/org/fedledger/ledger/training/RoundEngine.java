package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.registry.RoundLineage;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.Attestation;
import org.fedledger.core.proto.training.FailedCommit;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Payout;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.core.proto.training.SlashEntry;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.ledger.ValidatorInfo;
import org.fedledger.ledger.bank.BankKeeper;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.TxFailedException;
import org.fedledger.ledger.registry.RegistryKeeper;
import org.fedledger.ledger.staking.StakingKeeper;

/**
 * The life of a round: opening (selection and aggregator), deadlines, rejected commits,
 * finalization (payouts, slashes) and job completion (model registration). Every change it makes is
 * a pure function of state, the block height and the parent state root, so nodes agree.
 */
final class RoundEngine {
  private final BankKeeper bank;
  private final StakingKeeper staking;
  private final RegistryKeeper registry;
  private final ValidatorSetView validators;
  private final TrainingParams params;

  RoundEngine(
      BankKeeper bank,
      StakingKeeper staking,
      RegistryKeeper registry,
      ValidatorSetView validators,
      TrainingParams params) {
    this.bank = bank;
    this.staking = staking;
    this.registry = registry;
    this.validators = validators;
    this.params = params;
  }

  /** The statistics step of a job that standardizes (CreateJob.standardize) runs as round 0. */
  static final long STATISTICS_ROUND = 0;

  static Hash jobId(Job job) {
    return Hash.of(job.getJobId());
  }

  static Address escrow(Hash jobId) {
    return BankKeeper.moduleAccount("training", "job/" + jobId.toHex());
  }

  /** The state root of the block before this one: fixed before this block, the same everywhere. */
  private static Hash entropy(ExecutionContext ctx) {
    return ctx.chain().stateRootAt(ctx.height() - 1).orElse(Hash.ZERO);
  }

  // ---- opening ----

  /** Opens round r of job at this height: selects participants and the aggregator. */
  void open(ExecutionContext ctx, JobStore store, Job job, long r, long reopenCount) {
    Hash id = jobId(job);
    Hash entropy = entropy(ctx);
    List<ByteString> participants = store.participants(job);
    List<ByteString> selected =
        Selection.participants(
            participants,
            // Every owner reports statistics; training rounds select participants_per_round.
            r == STATISTICS_ROUND
                ? participants.size()
                : (int) job.getSpec().getParticipantsPerRound(),
            Selection.seed("select", id, r, reopenCount, entropy));
    long updateDeadline = Math.addExact(ctx.height(), job.getSpec().getRoundBlocks());
    Round round =
        Round.newBuilder()
            .setRound(r)
            .setStatus(RoundStatus.ROUND_OPEN)
            .setOpenedHeight(ctx.height())
            .setUpdateDeadline(updateDeadline)
            .setAggregator(pickAggregator(ctx, id, r, 0, List.of()))
            .setCommitDeadline(Math.addExact(updateDeadline, commitWindow(job)))
            .setReopenCount(reopenCount)
            .build();
    store.openRound(id, round, selected);
    ctx.events().emit(TrainingEvents.roundOpened(id, round, selected));
  }

  /**
   * Draws the aggregator among validators, weighted by bonded stake (by power if no validator has
   * stake), leaving out those in excluded unless nobody else is left.
   */
  private ByteString pickAggregator(
      ExecutionContext ctx, Hash jobId, long r, long attempt, List<ByteString> excluded) {
    List<ValidatorInfo> set = validators.validators(ctx);
    List<Selection.Weighted> byStake = new ArrayList<>();
    List<Selection.Weighted> byPower = new ArrayList<>();
    boolean anyStake = false;
    for (ValidatorInfo v : set) {
      ByteString a = v.address().toByteString();
      if (excluded.contains(a)) {
        continue;
      }
      long stake = staking.bonded(ctx, v.address());
      anyStake |= stake > 0;
      byStake.add(new Selection.Weighted(a, stake));
      byPower.add(new Selection.Weighted(a, v.power()));
    }
    if (byPower.isEmpty()) {
      // Every validator already failed this round: give them another chance rather than stall.
      return pickAggregator(ctx, jobId, r, attempt, List.of());
    }
    Hash seed = Selection.seed("aggregator", jobId, r, attempt, entropy(ctx));
    return Selection.weighted(anyStake ? byStake : byPower, seed);
  }

  // ---- deadlines ----

  /** An aggregator's window: the job's, but never below the chain's minimum. */
  private long commitWindow(Job job) {
    return Math.max(job.getSpec().getCommitBlocks(), params.minCommitBlocks());
  }

  /**
   * Processes the current round's passed deadlines: too few updates by the update deadline reopens
   * the round with a fresh selection; an aggregator that let its commit window pass is slashed and
   * replaced; a commit that gathered no quorum by its deadline is dropped (nobody is slashed: the
   * verifiers may be what is missing) and a new aggregator is drawn.
   */
  void advance(ExecutionContext ctx, JobStore store, Job job) {
    if (job.getStatus() != JobStatus.JOB_RUNNING) {
      return;
    }
    Hash id = jobId(job);
    Round round = store.round(id, job.getCurrentRound()).orElseThrow();
    RoundPhase phase = RoundPhase.of(job, round, ctx.height());
    if (phase.readyToAggregate() && round.getCommitWindowStartMillis() == 0) {
      // The aggregator's window is first seen open: its minimum time runs from this block.
      round = round.toBuilder().setCommitWindowStartMillis(ctx.timestampMillis()).build();
      store.putRound(id, round);
    }
    switch (phase) {
      case REOPEN_DUE -> {
        ctx.events().emit(TrainingEvents.roundReopened(id, round, job.getMinUpdates()));
        open(ctx, store, job, round.getRound(), round.getReopenCount() + 1);
      }
      case AGGREGATION_OVERDUE -> {
        long since = ctx.timestampMillis() - round.getCommitWindowStartMillis();
        if (since < params.minCommitMillis()) {
          // Its blocks have passed, but not the chain's minimum time: anyone can make blocks
          // come fast, and must not thereby get an honest aggregator slashed (issue #21).
          return;
        }
        replaceAggregator(
            ctx,
            store,
            job,
            round,
            "aggregator did not commit by height "
                + round.getCommitDeadline()
                + " and within "
                + params.minCommitMillis() / 1000
                + " s",
            // A window the sponsor set below the chain's minimum was no fair chance to commit.
            job.getSpec().getCommitBlocks() >= params.minCommitBlocks());
      }
      case ATTESTATION_OVERDUE ->
          replaceAggregator(
              ctx,
              store,
              job,
              round,
              "no quorum of attestations by height " + round.getCommitDeadline(),
              false);
      default -> {
        // Nothing is due: the round waits for updates, a commit or attestations.
      }
    }
  }

  /**
   * Drops the round's commit (if any), optionally slashes its aggregator, and draws the next
   * aggregator with a fresh commit window starting now. Updates stay as submitted.
   */
  Round replaceAggregator(
      ExecutionContext ctx, JobStore store, Job job, Round round, String reason, boolean slash) {
    Hash id = jobId(job);
    ByteString failed = round.getAggregator();
    long slashed = 0;
    if (slash) {
      Address a = Address.of(failed);
      long amount = Rewards.fraction(staking.bonded(ctx, a), params.aggregatorSlashPpm());
      slashed =
          staking.slash(
              ctx,
              a,
              amount,
              "aggregator of job " + id.toHex() + " round " + round.getRound() + ": " + reason);
    }
    Round.Builder b = round.toBuilder();
    if (round.getStatus() == RoundStatus.ROUND_COMMITTED) {
      b.addFailedCommits(
          FailedCommit.newBuilder()
              .setAggregator(round.getCommitter())
              .setAggregateHash(round.getCommit().getAggregateHash())
              .setServerStateHash(round.getCommit().getServerStateHash())
              .setReason(reason)
              .setHeight(ctx.height()));
    }
    List<ByteString> excluded = new ArrayList<>(round.getFailedAggregatorsList());
    excluded.add(failed);
    long attempt = round.getAggregatorAttempt() + 1;
    ByteString next = pickAggregator(ctx, id, round.getRound(), attempt, excluded);
    Round updated =
        b.setStatus(RoundStatus.ROUND_OPEN)
            .clearCommit()
            .clearCommitter()
            .clearCommittedHeight()
            .clearQuorum()
            .clearAttestations()
            .addFailedAggregators(failed)
            .setAggregatorAttempt(attempt)
            .setAggregator(next)
            .setCommitDeadline(Math.addExact(ctx.height(), commitWindow(job)))
            .setCommitWindowStartMillis(ctx.timestampMillis())
            .build();
    store.putRound(id, updated);
    ctx.events().emit(TrainingEvents.commitRejected(id, updated, failed, reason, slashed));
    return updated;
  }

  // ---- finalization ----

  /** Pays the round, slashes its rejected updates, and opens the next round or completes. */
  Job finalizeRound(ExecutionContext ctx, JobStore store, Job job, Round round)
      throws TxFailedException {
    if (round.getRound() == STATISTICS_ROUND) {
      return finalizeStatistics(ctx, store, job, round);
    }
    Hash id = jobId(job);
    long r = round.getRound();
    long rounds = job.getSpec().getRounds();
    boolean last = r == rounds;
    long share = Rewards.share(job.getEscrowRemaining(), rounds - r + 1);
    List<Score> scores = sortedScores(round.getCommit().getScoresList());
    List<Payout> payouts = Rewards.split(share, scores, last);
    Address escrow = escrow(id);
    for (Payout p : payouts) {
      Address to = Address.of(p.getParticipant());
      if (p.getAmount() > 0) {
        bank.transfer(ctx, escrow, to, p.getAmount());
      }
      ParticipantRecord rec = store.participant(id, p.getParticipant()).orElseThrow();
      store.putParticipant(
          id,
          rec.toBuilder()
              .setAccepted(rec.getAccepted() + 1)
              .setReward(Math.addExact(rec.getReward(), p.getAmount()))
              .build());
      ctx.events().emit(TrainingEvents.rewardPaid(id, r, to, p.getAmount()));
    }
    long paid = Rewards.total(payouts);
    List<SlashEntry> slashes = slashRejected(ctx, store, id, round);

    Round finalRound =
        round.toBuilder()
            .setStatus(RoundStatus.ROUND_FINAL)
            .setFinalizedHeight(ctx.height())
            .addAllPayouts(payouts)
            .addAllSlashes(slashes)
            .build();
    store.putRound(id, finalRound);
    Job.Builder jb =
        job.toBuilder()
            .setEscrowRemaining(job.getEscrowRemaining() - paid)
            .setEscrowPaid(Math.addExact(job.getEscrowPaid(), paid));
    ctx.events()
        .emit(
            TrainingEvents.roundFinalized(
                id, r, round.getCommit().getAggregateHash(), paid, jb.getEscrowRemaining()));
    if (!last) {
      Job next = jb.setCurrentRound(r + 1).build();
      store.putJob(next);
      open(ctx, store, next, r + 1, 0);
      return next;
    }
    return complete(ctx, store, jb.build());
  }

  /**
   * Closes the statistics step: the job records the attested combined statistics, which every owner
   * then standardizes with, and round 1 opens. Nothing is paid; a rejected report (not valid
   * statistics) is slashed as a rejected update is.
   */
  private Job finalizeStatistics(ExecutionContext ctx, JobStore store, Job job, Round round) {
    Hash id = jobId(job);
    ByteString statistics = round.getCommit().getAggregateHash();
    List<SlashEntry> slashes = slashRejected(ctx, store, id, round);
    store.putRound(
        id,
        round.toBuilder()
            .setStatus(RoundStatus.ROUND_FINAL)
            .setFinalizedHeight(ctx.height())
            .addAllSlashes(slashes)
            .build());
    ctx.events()
        .emit(
            TrainingEvents.roundFinalized(
                id, STATISTICS_ROUND, statistics, 0, job.getEscrowRemaining()));
    ctx.events().emit(TrainingEvents.statisticsAttested(id, statistics));
    Job next = job.toBuilder().setStatisticsHash(statistics).setCurrentRound(1).build();
    store.putJob(next);
    open(ctx, store, next, 1, 0);
    return next;
  }

  private List<SlashEntry> slashRejected(
      ExecutionContext ctx, JobStore store, Hash id, Round round) {
    RoundEntries entries = store.entries(id, round.getRound());
    List<SlashEntry> out = new ArrayList<>();
    for (Rejection rej : round.getCommit().getRejectedList()) {
      Submission s = entries.submissionOfUpdate(rej.getUpdateHash()).orElseThrow();
      ParticipantRecord rec = store.participant(id, s.getParticipant()).orElseThrow();
      Address a = Address.of(s.getParticipant());
      String reason =
          "update "
              + Hash.of(rej.getUpdateHash()).toHex()
              + " rejected in job "
              + id.toHex()
              + " round "
              + round.getRound()
              + ": "
              + rej.getReason();
      long amount = Rewards.fraction(rec.getStake(), params.rejectedUpdateSlashPpm());
      // The slash comes out of the job's locked stake: unlocked first, since a slash takes free
      // stake first and the participant may hold free stake besides.
      staking.unlock(ctx, a, amount);
      long taken = staking.slash(ctx, a, amount, reason);
      store.putParticipant(
          id,
          rec.toBuilder()
              .setRejected(rec.getRejected() + 1)
              .setStake(rec.getStake() - Math.min(rec.getStake(), taken))
              .setSlashed(Math.addExact(rec.getSlashed(), taken))
              .build());
      out.add(
          SlashEntry.newBuilder()
              .setAccount(s.getParticipant())
              .setAmount(taken)
              .setReason(reason)
              .build());
      ctx.events()
          .emit(TrainingEvents.participantSlashed(id, round.getRound(), a, taken, rej.getReason()));
    }
    return out;
  }

  /** Releases every stake, registers the model with its lineage and marks the job completed. */
  private Job complete(ExecutionContext ctx, JobStore store, Job job) throws TxFailedException {
    Hash id = jobId(job);
    if (job.getEscrowRemaining() != 0) {
      throw new IllegalStateException(
          "job " + id.toHex() + " completed with " + job.getEscrowRemaining() + " left in escrow");
    }
    releaseStakes(ctx, store, job);
    releasePrivacy(ctx, store, job);
    Model.Builder model =
        Model.newBuilder()
            .setModelId(id.toHex())
            .setVersion(1)
            .setModelSpec(job.getSpec().getModelSpec())
            .setSpecHash(job.getSpec().getSpecHash())
            .setParentModelId(job.getSpec().getParentModelId())
            .setInitialWeightsHash(job.getSpec().getInitialWeightsHash())
            .setJobId(job.getJobId())
            .setLicence(job.getSpec().getLicence())
            .setSponsor(job.getSponsor())
            .setStrategy(job.getSpec().getStrategy())
            .setRegisteredHeight(ctx.height());
    if (!job.getSpec().getParentModelId().isEmpty()) {
      registry
          .model(ctx, job.getSpec().getParentModelId())
          .ifPresent(p -> model.setVersion(p.getVersion() + 1));
    }
    Round lastRound = null;
    for (long r = 1; r <= job.getSpec().getRounds(); r++) {
      lastRound = store.round(id, r).orElseThrow();
      model.addRounds(lineage(lastRound, store.entries(id, r).submissions(lastRound)));
    }
    model
        .setWeightsHash(lastRound.getCommit().getAggregateHash())
        .addAllMetrics(lastRound.getCommit().getMetricsList());
    registry.registerModel(ctx, model.build());
    Job done =
        job.toBuilder()
            .setStatus(JobStatus.JOB_COMPLETED)
            .setModelId(id.toHex())
            .setFinishedHeight(ctx.height())
            .build();
    store.putJob(done);
    ctx.events()
        .emit(
            TrainingEvents.jobCompleted(
                id,
                done.getModelId(),
                lastRound.getCommit().getAggregateHash(),
                done.getEscrowPaid()));
    return done;
  }

  /** Unlocks what is left of every participant's job stake (after cancellation or completion). */
  void releaseStakes(ExecutionContext ctx, JobStore store, Job job) {
    Hash id = jobId(job);
    for (ByteString p : store.participants(job)) {
      ParticipantRecord rec = store.participant(id, p).orElseThrow();
      staking.unlock(ctx, Address.of(p), rec.getStake());
    }
  }

  /**
   * Hands back, on every participating dataset's budget, what a DP job held beyond what its
   * datasets spent (after cancellation or completion); a job without DP touches no budget.
   */
  void releasePrivacy(ExecutionContext ctx, JobStore store, Job job) {
    if (!job.hasDpAccounting()) {
      return;
    }
    Hash id = jobId(job);
    for (ByteString p : store.participants(job)) {
      ParticipantRecord rec = store.participant(id, p).orElseThrow();
      registry.releasePrivacy(ctx, rec.getDatasetId(), id);
    }
  }

  private static RoundLineage lineage(Round round, List<Submission> submissions) {
    RoundLineage.Builder l =
        RoundLineage.newBuilder()
            .setRound(round.getRound())
            .setAggregateHash(round.getCommit().getAggregateHash())
            .addAllAcceptedUpdateHashes(round.getCommit().getAcceptedList())
            .setAggregator(round.getCommitter())
            .addAllScores(sortedScores(round.getCommit().getScoresList()))
            .addAllMetrics(round.getCommit().getMetricsList())
            .setFinalizedHeight(round.getFinalizedHeight());
    for (Submission s : submissions) {
      l.addUpdateHashes(s.getUpdateHash())
          .addParticipants(s.getParticipant())
          .addDatasetIds(s.getDatasetId());
    }
    for (Attestation a : round.getAttestationsList()) {
      if (a.getAggregateHash().equals(round.getCommit().getAggregateHash())) {
        l.addAttesters(a.getValidator());
      }
    }
    return l.build();
  }

  static List<Score> sortedScores(List<Score> scores) {
    List<Score> sorted = new ArrayList<>(scores);
    sorted.sort(
        Comparator.comparing(
            Score::getParticipant, ByteString.unsignedLexicographicalComparator()));
    return sorted;
  }
}
