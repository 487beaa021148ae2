package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.BlobRef;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ModuleStore;

/**
 * The training module's state layout (under "training/"): {@code job/<job id 32B>} → {@link Job};
 * {@code job_count} → 8 bytes and {@code job_index/<sequence 8B>} → job id (creation order); {@code
 * round/<job id><round 8B>} → {@link Round}; {@code participant/<job id><address 20B>} → {@link
 * ParticipantRecord}, and {@code participant_at/<job id><i 8B>} → address (join order); a round's
 * selection, submissions and evaluations ({@link RoundEntries}); and two indexes kept by every
 * store of a job or round: the live jobs ({@link LiveJobs}) and where each blob is named ({@link
 * BlobIndex}).
 *
 * <p>Lists that grow with the participants are kept one entry per key, never inside the job or
 * round record (issue #21: a record holding them was rewritten, whole, on every join or
 * submission). The stored job and round records keep only their lengths ({@code participant_total},
 * {@code selected_total}, ...); {@link #filledJob} and {@link #filledRound} read the lists back
 * into the records, for queries.
 */
final class JobStore {
  private static final byte[] JOB = Bytes.utf8("job/");
  private static final byte[] JOB_COUNT = Bytes.utf8("job_count");
  private static final byte[] JOB_INDEX = Bytes.utf8("job_index/");
  private static final byte[] ROUND = Bytes.utf8("round/");
  private static final byte[] PARTICIPANT = Bytes.utf8("participant/");
  private static final byte[] PARTICIPANT_AT = Bytes.utf8("participant_at/");

  private final ModuleStore store;

  JobStore(ModuleStore store) {
    this.store = store;
  }

  Optional<Job> job(Hash id) {
    byte[] b = store.get(Bytes.concat(JOB, id.toByteArray()));
    return b == null ? Optional.empty() : Optional.of(parse(b, Job.parser()));
  }

  boolean exists(Hash id) {
    return store.get(Bytes.concat(JOB, id.toByteArray())) != null;
  }

  /** Stores a new job and appends it to the job index. */
  void create(Job job) {
    putJob(job);
    new BlobIndex(store).addJob(job);
    long seq = store.getLong(JOB_COUNT);
    store.put(Bytes.concat(JOB_INDEX, Bytes.ofLong(seq)), job.getJobId().toByteArray());
    store.putLong(JOB_COUNT, seq + 1);
  }

  void putJob(Job job) {
    requireStoredForm(job.getParticipantsCount(), "job's participants");
    store.put(Bytes.concat(JOB, job.getJobId().toByteArray()), job.toByteArray());
    new LiveJobs(store).track(Hash.of(job.getJobId()), job.getStatus());
  }

  /** The job with its participants filled in (the stored record keeps only their number). */
  Optional<Job> filledJob(Hash id) {
    return job(id).map(this::filled);
  }

  private Job filled(Job job) {
    return job.toBuilder().addAllParticipants(participants(job)).build();
  }

  /** The job's participants in join order. */
  List<ByteString> participants(Job job) {
    List<ByteString> out = new ArrayList<>();
    for (long i = 0; i < job.getParticipantTotal(); i++) {
      byte[] a = store.get(participantAtKey(RoundEngine.jobId(job), i));
      if (a == null) {
        throw new IllegalStateException(
            "corrupt training state: participant " + i + " of job " + RoundEngine.jobId(job));
      }
      out.add(ByteString.copyFrom(a));
    }
    return out;
  }

  /**
   * Adds a participant to the job: its record, its place in join order, and the job record with the
   * new participant_total, which is returned. Writes the same few keys for every join.
   */
  Job addParticipant(Job job, ParticipantRecord p) {
    Hash id = RoundEngine.jobId(job);
    long index = job.getParticipantTotal();
    putParticipant(id, p);
    store.put(participantAtKey(id, index), p.getParticipant().toByteArray());
    Job joined = job.toBuilder().setParticipantTotal(index + 1).build();
    putJob(joined);
    return joined;
  }

  /** The open and running jobs (see {@link LiveJobs}), participants filled in. */
  List<Job> liveJobs() {
    List<Job> out = new ArrayList<>();
    for (Hash id : new LiveJobs(store).ids()) {
      filledJob(id).ifPresent(out::add);
    }
    return out;
  }

  /** Every place the chain names the blob (see {@link BlobIndex}). */
  List<BlobRef> blobRefs(Hash blob) {
    return new BlobIndex(store).refs(blob);
  }

  List<Job> jobs(long from, int limit) {
    return jobs(from, limit, Long.MAX_VALUE);
  }

  /**
   * Jobs in creation order from index from: at most limit, and none more once their encoded size
   * would pass maxBytes (the first is always included, so a page is never empty while jobs remain).
   */
  List<Job> jobs(long from, int limit, long maxBytes) {
    long count = store.getLong(JOB_COUNT);
    List<Job> out = new ArrayList<>();
    long bytes = 0;
    for (long i = Math.max(0, from); i < count && out.size() < limit; i++) {
      byte[] id = store.get(Bytes.concat(JOB_INDEX, Bytes.ofLong(i)));
      byte[] b = store.get(Bytes.concat(JOB, id));
      if (b == null) {
        continue;
      }
      Job job = filled(parse(b, Job.parser()));
      if (!out.isEmpty() && bytes + job.getSerializedSize() > maxBytes) {
        break;
      }
      bytes += job.getSerializedSize();
      out.add(job);
    }
    return out;
  }

  long jobCount() {
    return store.getLong(JOB_COUNT);
  }

  Optional<Round> round(Hash jobId, long round) {
    byte[] b = store.get(roundKey(jobId, round));
    return b == null ? Optional.empty() : Optional.of(parse(b, Round.parser()));
  }

  /** The round with its selection, submissions and evaluations filled in, for queries. */
  Optional<Round> filledRound(Hash jobId, long round) {
    return round(jobId, round).map(r -> entries(jobId, r.getRound()).filled(r));
  }

  /** The round's entries kept under their own keys (selection, submissions, evaluations). */
  RoundEntries entries(Hash jobId, long round) {
    return new RoundEntries(store, jobId, round);
  }

  /**
   * Stores a newly opened (or reopened) round with its selection: the entries of the attempt it
   * replaces are deleted first, since a reopened round starts with no submissions.
   */
  void openRound(Hash jobId, Round round, List<ByteString> selected) {
    RoundEntries entries = entries(jobId, round.getRound());
    round(jobId, round.getRound()).ifPresent(entries::clear);
    entries.select(selected);
    putRound(jobId, round.toBuilder().setSelectedTotal(selected.size()).build());
  }

  /** Appends a submission to the round (its own keys) and stores the round's new total. */
  Round addSubmission(Hash jobId, Round round, Submission s) {
    Round updated = entries(jobId, round.getRound()).addSubmission(round, s);
    putRound(jobId, updated);
    new BlobIndex(store).addUpdate(jobId.toByteString(), round.getRound(), s);
    return updated;
  }

  void putRound(Hash jobId, Round round) {
    requireStoredForm(
        round.getSelectedCount()
            + round.getSubmissionsCount()
            + round.getEvaluationsCount()
            + round.getFederatedMetricsCount(),
        "round's selection, submissions and evaluations");
    store.put(roundKey(jobId, round.getRound()), round.toByteArray());
    new BlobIndex(store).addRound(jobId.toByteString(), round);
  }

  /** A record given to be stored must not carry the lists that live under their own keys. */
  private static void requireStoredForm(int listed, String what) {
    if (listed != 0) {
      throw new IllegalStateException(
          "the " + what + " are stored under their own keys, not in the record");
    }
  }

  Optional<ParticipantRecord> participant(Hash jobId, ByteString address) {
    byte[] b = store.get(participantKey(jobId, address));
    return b == null ? Optional.empty() : Optional.of(parse(b, ParticipantRecord.parser()));
  }

  void putParticipant(Hash jobId, ParticipantRecord p) {
    store.put(participantKey(jobId, p.getParticipant()), p.toByteArray());
  }

  private static byte[] roundKey(Hash jobId, long round) {
    return Bytes.concat(ROUND, jobId.toByteArray(), Bytes.ofLong(round));
  }

  private static byte[] participantAtKey(Hash jobId, long index) {
    return Bytes.concat(PARTICIPANT_AT, jobId.toByteArray(), Bytes.ofLong(index));
  }

  private static byte[] participantKey(Hash jobId, ByteString address) {
    return Bytes.concat(PARTICIPANT, jobId.toByteArray(), address.toByteArray());
  }

  private static <T> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser) {
    return RoundEntries.parse(bytes, parser);
  }
}
