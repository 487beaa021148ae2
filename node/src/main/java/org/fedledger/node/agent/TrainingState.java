package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Round;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.ValidatorInfo;

/** Read-only views of the training module's committed state, for the agents. */
public final class TrainingState {
  private final Ledger ledger;

  public TrainingState(Ledger ledger) {
    this.ledger = ledger;
  }

  /**
   * The open and running jobs, from the training module's index of them: the agents' view each
   * block, whose cost follows the live jobs, not every job the chain has seen.
   */
  public List<Job> jobs() {
    return ledger.query(q -> ledger.contracts().training().liveJobs(q));
  }

  public List<Job> runningJobs() {
    return jobs().stream().filter(j -> j.getStatus() == JobStatus.JOB_RUNNING).toList();
  }

  public Optional<Job> job(Hash id) {
    return ledger.query(q -> ledger.contracts().training().job(q, id));
  }

  public Optional<Round> round(Hash jobId, long round) {
    return ledger.query(q -> ledger.contracts().training().round(q, jobId, round));
  }

  public Optional<ParticipantRecord> participant(Hash jobId, Address a) {
    return ledger.query(q -> ledger.contracts().training().participant(q, jobId, a));
  }

  public List<ParticipantRecord> participants(Hash jobId) {
    return ledger.query(q -> ledger.contracts().training().participants(q, jobId));
  }

  public List<ValidatorInfo> validators() {
    return ledger.validators();
  }

  public boolean isValidator(Address a) {
    return ledger.validators().stream().anyMatch(v -> v.address().equals(a));
  }

  public long height() {
    return ledger.height();
  }

  public static Hash id(Job job) {
    return Hash.of(job.getJobId());
  }

  public static ByteString bytes(Address a) {
    return a.toByteString();
  }

  public static Hash hash(ByteString b) {
    return Hash.of(b);
  }

  /** The commit round r starts from: round r - 1's (final) commit, or empty for the first round. */
  public Optional<CommitRound> previousCommit(Job job, long r) {
    if (r <= 1) {
      return Optional.empty();
    }
    Round prev =
        round(id(job), r - 1)
            .orElseThrow(() -> new IllegalStateException("round " + (r - 1) + " is missing"));
    return Optional.of(prev.getCommit());
  }

  /**
   * The hash of the global weights round r starts from: the job's initial weights for round 1, else
   * the final aggregate of round r - 1.
   */
  public Hash globalBefore(Job job, long r) {
    return previousCommit(job, r)
        .map(c -> hash(c.getAggregateHash()))
        .orElseGet(() -> hash(job.getSpec().getInitialWeightsHash()));
  }

  /**
   * Where the global weights round r starts from can be fetched, or empty if the chain says not.
   */
  public Optional<String> globalLocation(Job job, long r) {
    return previousCommit(job, r).map(CommitRound::getBlobLocation);
  }

  /**
   * A participant's index in a job: its position in the member list (join order, 0-based), or -1 if
   * it is not a member. Its local training seed derives from it.
   */
  public static int memberIndex(Job job, Address participant) {
    return job.getParticipantsList().indexOf(bytes(participant));
  }
}
