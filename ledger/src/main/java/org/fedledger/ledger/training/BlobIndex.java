package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.BlobRef;
import org.fedledger.core.proto.training.FailedCommit;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ModuleStore;

/**
 * Where each blob hash is named on chain: one {@link BlobRef} per job, round and role that names it
 * (a job's initial weights, a round's aggregates and server states, committed or failed, and each
 * participant's update), kept one per key as a {@link StoredList}: {@code blob/<hash 32B><i 8B>} →
 * {@link BlobRef}, {@code blob_by/<hash><encoded ref>} (present once indexed) and {@code
 * blob_count/<hash>} → 8 bytes. A blob server answers "who may fetch this?" from this hash's
 * entries instead of scanning every job's every round. A hash many jobs name (the same initial
 * weights, given to job after job) costs each new job one entry, not a rewrite of all the others
 * (issue #21). Entries are added when a job or round is stored and never removed: a finished job's
 * blobs stay fetchable by its members, for audits.
 */
final class BlobIndex {
  private static final byte[] COUNT = Bytes.utf8("blob_count/");

  private final ModuleStore store;

  BlobIndex(ModuleStore store) {
    this.store = store;
  }

  /** Indexes the job's initial weights. */
  void addJob(Job job) {
    add(
        job.getSpec().getInitialWeightsHash(),
        BlobRef.newBuilder()
            .setJobId(job.getJobId())
            .setKind(BlobRef.Kind.INITIAL_WEIGHTS)
            .build());
  }

  /**
   * Indexes what the round record has just gained. Every change to a round record appends at most
   * one failed commit, or sets the commit, and is stored at once: indexing the last failed commit
   * (and the commit) at every store covers them all at a constant cost per transaction.
   * Submissions, kept under their own keys, are indexed as they are added ({@link #addUpdate}).
   */
  void addRound(ByteString jobId, Round round) {
    BlobRef aggregate =
        BlobRef.newBuilder()
            .setJobId(jobId)
            .setRound(round.getRound())
            .setKind(BlobRef.Kind.AGGREGATE)
            .build();
    if (round.hasCommit()) {
      add(round.getCommit().getAggregateHash(), aggregate);
      add(round.getCommit().getServerStateHash(), aggregate);
    }
    int failed = round.getFailedCommitsCount();
    if (failed > 0) {
      FailedCommit f = round.getFailedCommits(failed - 1);
      add(f.getAggregateHash(), aggregate);
      add(f.getServerStateHash(), aggregate);
    }
  }

  /** Indexes a participant's update (or statistics report) submitted in round. */
  void addUpdate(ByteString jobId, long round, Submission s) {
    add(
        s.getUpdateHash(),
        BlobRef.newBuilder()
            .setJobId(jobId)
            .setRound(round)
            .setKind(BlobRef.Kind.UPDATE)
            .setParticipant(s.getParticipant())
            .build());
  }

  /** Every place the blob is named, in the order they were first indexed. */
  List<BlobRef> refs(Hash blob) {
    List<BlobRef> out = new ArrayList<>();
    for (byte[] b : entries(blob.toByteString()).read(count(blob.toByteString()))) {
      out.add(RoundEntries.parse(b, BlobRef.parser()));
    }
    return out;
  }

  private void add(ByteString hash, BlobRef ref) {
    if (hash.size() != Hash.LENGTH) {
      return; // no blob: e.g. a commit without server state
    }
    StoredList entries = entries(hash);
    byte[] encoded = ref.toByteArray();
    if (entries.contains(encoded)) {
      return;
    }
    long n = count(hash);
    entries.put(n, encoded, encoded);
    store.putLong(countKey(hash), n + 1);
  }

  private StoredList entries(ByteString hash) {
    return new StoredList(store, "blob", hash.toByteArray());
  }

  private long count(ByteString hash) {
    return store.getLong(countKey(hash));
  }

  private static byte[] countKey(ByteString hash) {
    return Bytes.concat(COUNT, hash.toByteArray());
  }
}
