package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.blob.BlobHashMismatchException;

/**
 * A validator's updates (weights, or round 0's feature statistics) fetched and parsed ahead, off
 * the agent's thread: per running job, its current round's submitted updates, each fetched (within
 * the job's limits) and parsed by a small pool as soon as it is submitted, while the other owners
 * still train. The agent's thread only starts fetches and collects them, so a participant whose
 * server trickles bytes or never answers costs one fetcher up to its deadline, not the agent's
 * loop, and a round's slow updates are waited for together, not one after another (issue #21,
 * finding 3).
 *
 * <p>Each update is fetched once per round, retried once if it failed for want of its blob (a hash
 * mismatch is final: it is evidence against the submitter). The bookkeeping is per round, not per
 * hash: the same bytes can come back in a later round or job (a re-opened round, a job repeated
 * with the same seed), and must be fetched ahead there too. Only the agent's thread calls it.
 */
final class ParsedAhead<T> implements AutoCloseable {
  /** Fetches at once: enough to overlap a round's slow peers, few enough for a small machine. */
  static final int FETCHERS = 4;

  /** Fetches and parses one submitted update. */
  interface Fetch<V> {
    V fetch(Submission s) throws BlobException;
  }

  /**
   * A round's updates as collected: parsed weights, and for the others the reason they could not be
   * had, worded as a rejection ({@link RoundAggregation#BLOB_REASON}...).
   */
  record Collected<V>(Map<ByteString, V> ready, Map<ByteString, String> failed) {}

  private final ExecutorService pool =
      Executors.newFixedThreadPool(
          FETCHERS,
          r -> {
            Thread t = new Thread(r, "update-fetch");
            t.setDaemon(true);
            return t;
          });
  private final Map<Hash, RoundFetches<T>> byJob = new HashMap<>();

  /**
   * Starts fetching every submission of the job's round not started yet in this round (and retries
   * once one whose blob could not be had).
   *
   * @param roundKey identifies the round (job, round number, re-opening): another key starts afresh
   */
  void add(Hash job, String roundKey, List<Submission> submissions, Fetch<T> fetch) {
    RoundFetches<T> round = byJob.get(job);
    if (round == null || !round.key().equals(roundKey)) {
      if (round != null) {
        round.cancel();
      }
      round = new RoundFetches<>(roundKey, new LinkedHashMap<>(), new HashMap<>());
      byJob.put(job, round);
    }
    for (Submission s : submissions) {
      ByteString hash = s.getUpdateHash();
      Future<T> started = round.updates().get(hash);
      if (started == null || (retriable(started) && round.retried().put(hash, true) == null)) {
        round.updates().put(hash, pool.submit(() -> fetch.fetch(s)));
      }
    }
  }

  /**
   * The job's round's updates started so far: waits for them at most wait in all (each fetch has
   * its own deadline too), and counts those not done by then as unavailable.
   */
  Collected<T> collect(Hash job, String roundKey, Duration wait) throws InterruptedException {
    Map<ByteString, T> ready = new HashMap<>();
    Map<ByteString, String> failed = new HashMap<>();
    RoundFetches<T> round = byJob.get(job);
    if (round == null || !round.key().equals(roundKey)) {
      return new Collected<>(ready, failed);
    }
    long end = System.nanoTime() + wait.toNanos();
    for (Map.Entry<ByteString, Future<T>> e : round.updates().entrySet()) {
      try {
        long left = Math.max(0, end - System.nanoTime());
        ready.put(e.getKey(), e.getValue().get(left, TimeUnit.NANOSECONDS));
      } catch (TimeoutException timeout) {
        failed.put(
            e.getKey(),
            RoundAggregation.BLOB_REASON
                + "unavailable: not fetched within "
                + wait.toSeconds()
                + " s");
      } catch (ExecutionException failure) {
        failed.put(e.getKey(), reason(failure.getCause()));
      } catch (CancellationException cancelled) {
        failed.put(e.getKey(), RoundAggregation.BLOB_REASON + "unavailable: fetch cancelled");
      }
    }
    return new Collected<>(ready, failed);
  }

  /** Forgets the jobs not in running, stopping their fetches. */
  void retain(Set<Hash> running) {
    byJob
        .entrySet()
        .removeIf(
            e -> {
              if (running.contains(e.getKey())) {
                return false;
              }
              e.getValue().cancel();
              return true;
            });
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  private static boolean retriable(Future<?> f) {
    return f.state() == Future.State.FAILED
        && !(f.exceptionNow() instanceof BlobHashMismatchException);
  }

  private static String reason(Throwable cause) {
    if (cause instanceof BlobHashMismatchException) {
      return RoundAggregation.BLOB_REASON + "hash mismatch: " + cause.getMessage();
    }
    return RoundAggregation.BLOB_REASON + "unavailable: " + cause.getMessage();
  }

  private record RoundFetches<V>(
      String key, Map<ByteString, Future<V>> updates, Map<ByteString, Boolean> retried) {
    void cancel() {
      updates.values().forEach(f -> f.cancel(true));
    }
  }
}
