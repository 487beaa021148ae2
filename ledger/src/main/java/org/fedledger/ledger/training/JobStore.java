package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.BlobRef;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Round;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ModuleStore;

/**
 * The training module's state layout (under "training/"): {@code job/<job id 32B>} → {@link Job};
 * {@code job_count} → 8 bytes and {@code job_index/<sequence 8B>} → job id (creation order); {@code
 * round/<job id><round 8B>} → {@link Round}; {@code participant/<job id><address 20B>} → {@link
 * ParticipantRecord}; and two indexes kept by every store of a job or round: the live jobs ({@link
 * LiveJobs}) and where each blob is named ({@link BlobIndex}).
 */
final class JobStore {
  private static final byte[] JOB = Bytes.utf8("job/");
  private static final byte[] JOB_COUNT = Bytes.utf8("job_count");
  private static final byte[] JOB_INDEX = Bytes.utf8("job_index/");
  private static final byte[] ROUND = Bytes.utf8("round/");
  private static final byte[] PARTICIPANT = Bytes.utf8("participant/");

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
    store.put(Bytes.concat(JOB, job.getJobId().toByteArray()), job.toByteArray());
    new LiveJobs(store).track(Hash.of(job.getJobId()), job.getStatus());
  }

  /** The open and running jobs (see {@link LiveJobs}). */
  List<Job> liveJobs() {
    List<Job> out = new ArrayList<>();
    for (Hash id : new LiveJobs(store).ids()) {
      job(id).ifPresent(out::add);
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
      if (!out.isEmpty() && bytes + b.length > maxBytes) {
        break;
      }
      bytes += b.length;
      out.add(parse(b, Job.parser()));
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

  void putRound(Hash jobId, Round round) {
    store.put(roundKey(jobId, round.getRound()), round.toByteArray());
    new BlobIndex(store).addRound(jobId.toByteString(), round);
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

  private static byte[] participantKey(Hash jobId, ByteString address) {
    return Bytes.concat(PARTICIPANT, jobId.toByteArray(), address.toByteArray());
  }

  private static <T> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser) {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt training state; restore the data directory", e);
    }
  }
}
