package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.AttestRound;
import org.fedledger.core.proto.training.Attestation;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.ReportMetrics;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.learning.aggregate.ServerState;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.stats.Standardization;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.ledger.training.RoundPhase;
import org.fedledger.ledger.training.TrainingMessages;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.blob.FetchLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A validator's training agent, in both roles. As a round's aggregator (the chain names it): once
 * updates are closed it fetches them, checks their hashes, runs the job's strategy ({@link
 * RoundAggregation}), stores the new global weights (and server state, if any) as blobs it serves
 * and submits CommitRound; with an evaluation set it then reports the new weights' accuracy in
 * ReportMetrics (in the last round, in the CommitRound itself, for the model's record). As a
 * verifier (every other validator): it re-runs the same aggregation from the same blobs and submits
 * AttestRound with the hashes it got. The statistics step of a job that standardizes (round 0) runs
 * the same way on feature statistics instead of weights ({@link StatisticsStep}).
 *
 * <p>Latency: every validator fetches and parses updates as they are submitted (while the other
 * owners still train), and the verifiers re-run the round as soon as its updates are closed, while
 * the aggregator computes; when the commit lands they compare and attest at once. A validator whose
 * previous round's outcome is the chain's new global weights starts the next round from those
 * weights in memory instead of reading the blob back. A round thus closes one block after its last
 * update, its commit and its quorum of attestations, with no deadline waited for.
 */
public final class ValidatorAgent extends AgentLoop {
  private static final Logger log = LoggerFactory.getLogger(ValidatorAgent.class);
  // The statistics step of a job that standardizes: combined, committed and attested as a round.
  private static final long STATISTICS_ROUND = 0;

  private final TxSender tx;
  private final BlobSource blobs;
  private final String blobUrl;
  private final BlobServerAnnouncement announcement;
  private final JobMarks done = new JobMarks();
  private final ParsedAhead<Weights> parsed = new ParsedAhead<>();
  private final StatisticsValidation statistics;
  private final JobFetchLimits fetchLimits = new JobFetchLimits();

  private final Map<Hash, Computed> computed = new HashMap<>();
  private final AggregateEvaluator evaluator;

  /**
   * @param evaluation test data to report accuracy on, or null
   */
  public ValidatorAgent(
      String name, TxSender tx, BlobSource blobs, String blobUrl, LabeledData evaluation) {
    super(name);
    this.tx = tx;
    this.blobs = blobs;
    this.blobUrl = blobUrl;
    this.announcement = new BlobServerAnnouncement(tx, blobUrl);
    this.statistics = new StatisticsValidation(name, tx, blobs, blobUrl, announcement);
    this.evaluator = evaluation == null ? null : new AggregateEvaluator(evaluation);
  }

  public ValidatorAgent start() {
    start(tx.chain());
    return this;
  }

  @Override
  void step() throws Exception {
    TrainingState chain = new TrainingState(tx.chain().ledger());
    ByteString me = TrainingState.bytes(tx.address());
    List<Job> running = chain.runningJobs();
    Set<Hash> runningIds = new HashSet<>();
    running.forEach(j -> runningIds.add(TrainingState.id(j)));
    computed.keySet().retainAll(runningIds);
    parsed.retain(runningIds);
    statistics.retain(runningIds);
    done.retain(runningIds);
    boolean validator = chain.isValidator(tx.address());
    for (Job job : running) {
      Hash id = TrainingState.id(job);
      Round round = chain.round(id, job.getCurrentRound()).orElse(null);
      if (round == null) {
        continue;
      }
      RoundPhase phase = RoundPhase.of(job, round, chain.height());
      if (round.getStatus() == RoundStatus.ROUND_OPEN) {
        if (!phase.readyToAggregate()) {
          if (validator && round.getRound() == STATISTICS_ROUND) {
            statistics.prefetch(job, round);
          } else if (validator) {
            prefetch(job, round);
          }
          continue;
        }
        if (round.getAggregator().equals(me)) {
          String key = "aggregated/" + round.getRound() + "/" + round.getAggregatorAttempt();
          if (done.add(id, key)) {
            try {
              aggregate(chain, job, round);
            } catch (Exception e) {
              done.remove(id, key); // retried on the next block
              throw e;
            }
          }
        } else if (validator
            && round.getRound() != STATISTICS_ROUND
            && done.add(id, "re-run early/" + round.getRound() + "/" + round.getReopenCount())) {
          // Verifiers re-run the round as soon as its updates are in, while the aggregator
          // works, so that they can attest as soon as its commit lands. Should that fail, the
          // verification re-runs it afresh.
          try {
            outcome(chain, job, round, Map.of());
          } catch (IllegalStateException | BlobException e) {
            log.debug("{}: early re-run of round {}: {}", name(), round.getRound(), e.getMessage());
          }
        }
      } else if (phase.awaitsAttestations() && !round.getCommitter().equals(me) && validator) {
        boolean attested = false;
        for (Attestation a : round.getAttestationsList()) {
          attested |= a.getValidator().equals(me);
        }
        String key =
            "attested/"
                + round.getRound()
                + "/"
                + TrainingState.hash(round.getCommit().getAggregateHash()).toHex();
        if (!attested && done.add(id, key)) {
          try {
            verify(chain, job, round);
          } catch (Exception e) {
            done.remove(id, key);
            throw e;
          }
        }
      }
    }
  }

  /**
   * Starts fetching and parsing the round's submitted updates as they arrive (each once per round,
   * off this thread, within the job's limits), so that aggregating or verifying the round waits for
   * the last one only. A failure is retried once when the round is aggregated, then recorded.
   */
  private void prefetch(Job job, Round round) {
    Hash id = TrainingState.id(job);
    FetchLimits limits = fetchLimits.of(job);
    parsed.add(
        id,
        roundKey(id, round),
        round.getSubmissionsList(),
        s -> blobs.weights(TrainingState.hash(s.getUpdateHash()), s.getBlobLocation(), limits));
  }

  private void aggregate(TrainingState chain, Job job, Round round) throws Exception {
    if (round.getRound() == STATISTICS_ROUND) {
      statistics.commit(job, round);
      return;
    }
    long r = round.getRound();
    long start = System.nanoTime();
    RoundAggregation.Outcome outcome;
    try {
      outcome = outcome(chain, job, round, Map.of());
    } catch (IllegalStateException e) {
      log.warn("{}: cannot aggregate round {}: {}", name(), r, e.getMessage());
      return;
    }
    Weights committed = outcome.newGlobal();
    Hash hash = blobs.client().local().put(Safetensors.write(committed));
    if (outcome.stateBlob() != null) {
      blobs.client().local().put(outcome.stateBlob());
    }
    long aggregated = System.nanoTime();
    // The last round's metrics go into the model's record, written when that round finalizes, so
    // they travel with its commit. Any other round is committed at once and its metrics follow in
    // ReportMetrics: the owners start the next round from the commit, so evaluating the new
    // weights (300 ms for the demo's CNN on 500 images, more than aggregating them) is then off
    // the round's critical path.
    boolean lastRound = r == job.getSpec().getRounds();
    List<Metric> metrics = lastRound ? evaluate(chain, job, committed) : List.of();
    ByteString aggregateHash = hash.toByteString();
    announcement.ensure();
    tx.send(
        TrainingMessages.MODULE,
        TrainingMessages.COMMIT_ROUND,
        CommitRound.newBuilder()
            .setJobId(job.getJobId())
            .setRound(r)
            .setAggregateHash(aggregateHash)
            .setServerStateHash(outcome.serverStateHash())
            .addAllAccepted(outcome.accepted())
            .addAllRejected(outcome.rejected())
            .addAllScores(outcome.scores())
            .addAllMetrics(metrics)
            .setBlobLocation(blobUrl)
            .build());
    long sent = System.nanoTime();
    log.info(
        "{}: committed round {} aggregate {} ({} accepted, {} rejected; {} ms to aggregate{})",
        name(),
        r,
        hash.toHex().substring(0, 12),
        outcome.accepted().size(),
        outcome.rejected().size(),
        (aggregated - start) / 1_000_000,
        lastRound && evaluator != null
            ? ", " + (sent - aggregated) / 1_000_000 + " ms to evaluate"
            : "");
    if (!lastRound) {
      reportMetrics(chain, job, r, aggregateHash, committed);
    }
  }

  /**
   * Evaluates a committed aggregate and reports the metrics on it. A failure costs the round its
   * metrics, nothing else: they are informational, and the round goes on without them.
   */
  private void reportMetrics(
      TrainingState chain, Job job, long r, ByteString aggregateHash, Weights committed) {
    long start = System.nanoTime();
    List<Metric> metrics = evaluate(chain, job, committed);
    if (metrics.isEmpty()) {
      return;
    }
    try {
      tx.send(
          TrainingMessages.MODULE,
          TrainingMessages.REPORT_METRICS,
          ReportMetrics.newBuilder()
              .setJobId(job.getJobId())
              .setRound(r)
              .setAggregateHash(aggregateHash)
              .addAllMetrics(metrics)
              .build());
      log.info(
          "{}: reported round {} metrics ({} ms to evaluate)",
          name(),
          r,
          (System.nanoTime() - start) / 1_000_000);
    } catch (TxSender.TxRefusedException e) {
      log.warn("{}: round {} metrics not reported: {}", name(), r, e.getMessage());
    }
  }

  /**
   * The metrics of weights on this validator's evaluation set; none without one, or if the
   * evaluation fails: metrics are informational, and a commit must not wait on them.
   */
  private List<Metric> evaluate(TrainingState chain, Job job, Weights weights) {
    if (evaluator == null) {
      return List.of();
    }
    try {
      Optional<Standardization> standardization =
          job.getSpec().getStandardize()
              ? StatisticsStep.standardization(
                  blobs, job, chain.round(TrainingState.id(job), STATISTICS_ROUND).orElseThrow())
              : Optional.empty();
      return evaluator.metrics(job.getSpec().getModelSpec(), weights, standardization);
    } catch (BlobException e) {
      log.warn("{}: cannot have job's statistics to evaluate: {}", name(), e.getMessage());
      return List.of();
    } catch (RuntimeException e) {
      log.warn(
          "{}: cannot evaluate job {}'s weights: {}",
          name(),
          TrainingState.id(job).toHex(),
          e.toString());
      return List.of();
    }
  }

  private void verify(TrainingState chain, Job job, Round round) throws Exception {
    if (round.getRound() == STATISTICS_ROUND) {
      statistics.attest(job, round);
      return;
    }
    long r = round.getRound();
    Map<ByteString, String> honour = RoundAggregation.blobRejections(round.getCommit());
    RoundAggregation.Outcome outcome;
    try {
      outcome = outcome(chain, job, round, honour);
    } catch (IllegalStateException e) {
      log.warn("{}: cannot re-run round {}: {}", name(), r, e.getMessage());
      return;
    }
    Hash got = outcome.aggregateHash();
    CommitRound commit = round.getCommit();
    Hash committed = TrainingState.hash(commit.getAggregateHash());
    boolean matches =
        got.equals(committed) && outcome.serverStateHash().equals(commit.getServerStateHash());
    if (matches) {
      // Every verifier that agrees also holds (and serves) the new global weights and server
      // state, so the next round does not depend on the aggregator staying up.
      blobs.client().local().put(Safetensors.write(outcome.newGlobal()));
      if (outcome.stateBlob() != null) {
        blobs.client().local().put(outcome.stateBlob());
      }
    }
    tx.send(
        TrainingMessages.MODULE,
        TrainingMessages.ATTEST_ROUND,
        AttestRound.newBuilder()
            .setJobId(job.getJobId())
            .setRound(r)
            .setAggregateHash(got.toByteString())
            .setServerStateHash(outcome.serverStateHash())
            .build());
    if (matches) {
      log.info("{}: attested round {} ({})", name(), r, got.toHex().substring(0, 12));
    } else {
      log.warn(
          "{}: round {} commit {} (server state {}) does not match the re-run {} (server state {})",
          name(),
          r,
          committed.toHex().substring(0, 12),
          hex(commit.getServerStateHash()),
          got.toHex().substring(0, 12),
          hex(outcome.serverStateHash()));
    }
  }

  /**
   * The round's aggregation outcome with the updates in skip left out. A complete outcome (every
   * update fetched, nothing skipped) is kept until the job moves on: once a round's updates are
   * closed they cannot change, so the aggregator's or the verifiers' later need is met at once.
   */
  private RoundAggregation.Outcome outcome(
      TrainingState chain, Job job, Round round, Map<ByteString, String> skip) throws Exception {
    Hash id = TrainingState.id(job);
    String key = roundKey(id, round);
    Computed c = computed.get(id);
    if (skip.isEmpty() && c != null && c.key().equals(key)) {
      return c.outcome();
    }
    RoundAggregation.Outcome outcome = rerun(chain, job, round, skip);
    boolean complete = skip.isEmpty();
    for (Rejection r : outcome.rejected()) {
      complete &= !r.getReason().startsWith(RoundAggregation.BLOB_REASON);
    }
    if (complete) {
      computed.put(id, new Computed(key, outcome));
    }
    return outcome;
  }

  /** Identifies a round of a job, re-openings included, for the agents' bookkeeping. */
  static String roundKey(Hash jobId, Round round) {
    return jobId.toHex() + "/" + round.getRound() + "/" + round.getReopenCount();
  }

  /** A round's complete outcome, by {@link #roundKey}. */
  private record Computed(String key, RoundAggregation.Outcome outcome) {}

  /**
   * Re-runs round's aggregation from the chain's records and the blobs: the global weights and
   * server state the previous round left, and the round's updates (except those in skip).
   */
  private RoundAggregation.Outcome rerun(
      TrainingState chain, Job job, Round round, Map<ByteString, String> skip) throws Exception {
    long r = round.getRound();
    Hash id = TrainingState.id(job);
    Hash globalHash = chain.globalBefore(job, r);
    Computed previous = computed.get(id);
    Weights global =
        previous != null && previous.outcome().aggregateHash().equals(globalHash)
            ? previous.outcome().newGlobal()
            : blobs.weights(globalHash, chain.globalLocation(job, r).orElse(null));
    ServerState state =
        RoundAggregation.stateBefore(blobs, chain.previousCommit(job, r).orElse(null));
    // Every update is fetched off this thread; here they are only waited for, together, at most
    // one fetch's deadline, and what did not come is recorded with its reason.
    prefetch(job, round);
    ParsedAhead.Collected<Weights> collected =
        parsed.collect(id, roundKey(id, round), fetchLimits.of(job).deadline());
    Map<ByteString, String> notFetched = new HashMap<>(collected.failed());
    notFetched.putAll(skip);
    RoundUpdates updates =
        RoundUpdates.fetch(blobs, round.getSubmissionsList(), notFetched, collected.ready());
    return RoundAggregation.run(
        job.getSpec().getStrategy(),
        global,
        state,
        job.getParticipantsList(),
        round.getSubmissionsList(),
        updates.fetched(),
        updates.unavailable());
  }

  private static String hex(ByteString hash) {
    return hash.isEmpty() ? "none" : TrainingState.hash(hash).toHex().substring(0, 12);
  }

  @Override
  void closeResources() {
    parsed.close();
    statistics.close();
    if (evaluator != null) {
      evaluator.close();
    }
  }
}
