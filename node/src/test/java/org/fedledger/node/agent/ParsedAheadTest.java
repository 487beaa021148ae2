package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.blob.BlobHashMismatchException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ParsedAheadTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ParsedAhead<Weights> parsed = new ParsedAhead<>();
  private final Weights weights = Models.initialWeights(ModelSpecs.preset("logreg"), 1);
  private final Hash job = Sha256.hash(new byte[] {1});
  private final List<ByteString> fetched = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void close() {
    parsed.close();
  }

  private static Submission update(int i) {
    return Submission.newBuilder()
        .setUpdateHash(Sha256.hash(new byte[] {(byte) i}).toByteString())
        .build();
  }

  private void add(String roundKey, Submission... submissions) {
    parsed.add(
        job,
        roundKey,
        List.of(submissions),
        s -> {
          fetched.add(s.getUpdateHash());
          return weights;
        });
  }

  @Test
  void eachUpdateIsFetchedOncePerRoundAndServedForThatRoundOnly() throws Exception {
    add("r1", update(1));
    add("r1", update(1), update(2));

    ParsedAhead.Collected<Weights> r1 = parsed.collect(job, "r1", WAIT);
    assertThat(fetched)
        .containsExactlyInAnyOrder(update(1).getUpdateHash(), update(2).getUpdateHash());
    assertThat(r1.ready()).containsOnlyKeys(fetched);
    assertThat(r1.failed()).isEmpty();
    assertThat(parsed.collect(job, "r2", WAIT).ready()).isEmpty();
  }

  /**
   * A job repeated with the same seed (the trust benchmark's warm-up and timed jobs) submits the
   * same bytes again: they are fetched ahead again, not left for the round's end.
   */
  @Test
  void theSameUpdateInALaterRoundIsFetchedAheadAgain() throws Exception {
    add("job-a/1", update(1));
    parsed.collect(job, "job-a/1", WAIT);
    add("job-b/1", update(1));

    assertThat(parsed.collect(job, "job-b/1", WAIT).ready())
        .containsOnlyKeys(update(1).getUpdateHash());
    assertThat(fetched).hasSize(2);
  }

  @Test
  void aFetchThatFailedIsRetriedOnceThenReportedWithItsReason() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    ParsedAhead.Fetch<Weights> unavailable =
        s -> {
          attempts.incrementAndGet();
          throw new BlobException("peer down");
        };
    for (int i = 0; i < 3; i++) {
      parsed.add(job, "r1", List.of(update(1)), unavailable);
      parsed.collect(job, "r1", WAIT); // lets the attempt finish before the next add
    }

    assertThat(attempts).hasValue(2);
    ParsedAhead.Collected<Weights> collected = parsed.collect(job, "r1", WAIT);
    assertThat(collected.ready()).isEmpty();
    assertThat(collected.failed())
        .containsEntry(
            update(1).getUpdateHash(), RoundAggregation.BLOB_REASON + "unavailable: peer down");
  }

  @Test
  void aHashMismatchIsFinalAndNamedAsSuch() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    ParsedAhead.Fetch<Weights> lying =
        s -> {
          attempts.incrementAndGet();
          throw new BlobHashMismatchException(
              Sha256.hash(new byte[] {1}), Sha256.hash(new byte[] {2}), "http://127.0.0.1:9");
        };
    for (int i = 0; i < 3; i++) {
      parsed.add(job, "r1", List.of(update(1)), lying);
      parsed.collect(job, "r1", WAIT);
    }
    assertThat(attempts).hasValue(1);
    assertThat(parsed.collect(job, "r1", WAIT).failed().get(update(1).getUpdateHash()))
        .startsWith(RoundAggregation.BLOB_REASON + "hash mismatch: ");
  }

  /**
   * The attack: submitters whose servers stall. Fetches run off the caller's thread (add returns
   * while every fetch is held) and together (all four are under way at once).
   */
  @Test
  void slowFetchesRunOffTheAgentsThreadAndTogether() throws Exception {
    CountDownLatch allStarted = new CountDownLatch(ParsedAhead.FETCHERS);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    ParsedAhead.Fetch<Weights> stalled =
        s -> {
          allStarted.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlobException("interrupted");
          }
          finished.incrementAndGet();
          return weights;
        };
    List<Submission> four = List.of(update(1), update(2), update(3), update(4));
    parsed.add(job, "r1", four, stalled);
    assertThat(finished).as("add did not wait for the fetches").hasValue(0);
    assertThat(allStarted.await(20, TimeUnit.SECONDS)).as("all four under way at once").isTrue();

    release.countDown();
    ParsedAhead.Collected<Weights> collected = parsed.collect(job, "r1", WAIT);
    assertThat(collected.failed()).isEmpty();
    assertThat(collected.ready()).hasSize(4);
  }

  @Test
  void aFetchNotDoneWithinTheWaitCountsAsUnavailableAndStopsWithItsJob() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    ParsedAhead.Fetch<Weights> endless =
        s -> {
          try {
            Thread.sleep(Long.MAX_VALUE);
          } catch (InterruptedException e) {
            interrupted.countDown();
          }
          throw new BlobException("stopped");
        };
    parsed.add(job, "r1", List.of(update(1)), endless);

    ParsedAhead.Collected<Weights> collected = parsed.collect(job, "r1", Duration.ofMillis(200));
    assertThat(collected.failed().get(update(1).getUpdateHash()))
        .isEqualTo(RoundAggregation.BLOB_REASON + "unavailable: not fetched within 0 s");

    parsed.retain(Set.of());
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the fetch was stopped").isTrue();
    assertThat(parsed.collect(job, "r1", WAIT).ready()).isEmpty();
  }
}
