package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.Round;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.StoreKey;
import org.fedledger.ledger.module.TxFailedException;

/** Finding a job and its current round for a handler, with the refusals every handler shares. */
final class JobAccess {
  private final StoreKey key;
  private final RoundEngine engine;

  JobAccess(StoreKey key, RoundEngine engine) {
    this.key = key;
    this.engine = engine;
  }

  JobStore store(QueryContext ctx) {
    return new JobStore(ctx.store(key));
  }

  JobStore store(ExecutionContext ctx) {
    return new JobStore(ctx.store(key));
  }

  static Job requireJob(JobStore store, ByteString jobId) throws TxFailedException {
    Hash id = JobRules.hash32("job_id", jobId.toByteArray());
    return store
        .job(id)
        .orElseThrow(() -> Fail.invalid("no job " + id.toHex() + "; check the id (hex, 32 bytes)"));
  }

  /** The job after its passed deadlines are processed. */
  Job advancedJob(ExecutionContext ctx, JobStore store, ByteString jobId) throws TxFailedException {
    Job job = requireJob(store, jobId);
    engine.advance(ctx, store, job);
    return store.job(RoundEngine.jobId(job)).orElseThrow();
  }

  static Round currentRound(JobStore store, Job job, long round, String action)
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

  static void requireSponsor(Job job, ExecutionContext ctx, String action)
      throws TxFailedException {
    if (!job.getSponsor().equals(ctx.sender().toByteString())) {
      throw Fail.unauthorized("only the sponsor may " + action + " job " + hexId(job));
    }
  }

  static String hexId(Job job) {
    return RoundEngine.jobId(job).toHex();
  }

  static String status(Job job) {
    return job.getStatus().name().substring("JOB_".length()).toLowerCase(java.util.Locale.ROOT);
  }
}
