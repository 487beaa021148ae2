package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.node.blob.BlobException;

/**
 * A validator's updates parsed ahead: per running job, its current round's submitted updates,
 * fetched and parsed as they arrive (while the other owners still train), so that aggregating or
 * verifying the round waits for the last one only.
 *
 * <p>Each update is tried once per round. The bookkeeping is per round, not per hash: the same
 * bytes can come back in a later round or job (a re-opened round, a job repeated with the same
 * seed), and must be parsed ahead there too.
 */
final class ParsedAhead {
  /** Fetches and parses one submitted update. */
  interface Fetch {
    Weights weights(Submission s) throws BlobException;
  }

  /** Called with a submission that could not be fetched; aggregation retries and records it. */
  interface Failure {
    void failed(Submission s, BlobException e);
  }

  private final Map<Hash, RoundParsed> byJob = new HashMap<>();

  /**
   * Fetches and parses every submission of the job's round not tried yet in this round; stops early
   * when stop says so.
   *
   * @param roundKey identifies the round (job, round number, re-opening): another key starts afresh
   */
  void add(
      Hash job,
      String roundKey,
      List<Submission> submissions,
      Fetch fetch,
      Failure failure,
      BooleanSupplier stop) {
    RoundParsed round = byJob.get(job);
    if (round == null || !round.key().equals(roundKey)) {
      round = new RoundParsed(roundKey, new HashMap<>(), new HashSet<>());
      byJob.put(job, round);
    }
    for (Submission s : submissions) {
      if (round.tried().add(s.getUpdateHash())) {
        try {
          round.updates().put(s.getUpdateHash(), fetch.weights(s));
        } catch (BlobException e) {
          failure.failed(s, e);
        }
      }
      if (stop.getAsBoolean()) {
        return;
      }
    }
  }

  /** The job's updates parsed so far in the round roundKey, by update hash (empty if none). */
  Map<ByteString, Weights> ready(Hash job, String roundKey) {
    RoundParsed round = byJob.get(job);
    return round != null && round.key().equals(roundKey) ? round.updates() : Map.of();
  }

  /** Forgets the jobs not in running. */
  void retain(Set<Hash> running) {
    byJob.keySet().retainAll(running);
  }

  private record RoundParsed(String key, Map<ByteString, Weights> updates, Set<ByteString> tried) {}
}
