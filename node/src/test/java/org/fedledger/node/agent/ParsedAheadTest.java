package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.node.blob.BlobException;
import org.junit.jupiter.api.Test;

class ParsedAheadTest {
  private final ParsedAhead parsed = new ParsedAhead();
  private final Weights weights = Models.initialWeights(ModelSpecs.preset("logreg"), 1);
  private final Hash job = Sha256.hash(new byte[] {1});
  private final List<ByteString> fetched = new ArrayList<>();
  private final List<ByteString> failed = new ArrayList<>();

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
        },
        (s, e) -> failed.add(s.getUpdateHash()),
        () -> false);
  }

  @Test
  void eachUpdateIsFetchedOncePerRoundAndServedForThatRoundOnly() {
    add("r1", update(1));
    add("r1", update(1), update(2));

    assertThat(fetched).containsExactly(update(1).getUpdateHash(), update(2).getUpdateHash());
    assertThat(parsed.ready(job, "r1")).containsOnlyKeys(fetched);
    assertThat(parsed.ready(job, "r2")).isEmpty();
  }

  /**
   * A job repeated with the same seed (the trust benchmark's warm-up and timed jobs) submits the
   * same bytes again: they are parsed ahead again, not left for the round's end.
   */
  @Test
  void theSameUpdateInALaterRoundIsParsedAheadAgain() {
    add("job-a/1", update(1));
    add("job-b/1", update(1));

    assertThat(fetched).hasSize(2);
    assertThat(parsed.ready(job, "job-b/1")).containsOnlyKeys(update(1).getUpdateHash());
  }

  @Test
  void aFailedFetchIsReportedNotRetriedWithinTheRoundAndLeftOutOfTheReadyUpdates() {
    List<Integer> attempts = new ArrayList<>();
    ParsedAhead.Fetch unavailable =
        s -> {
          attempts.add(1);
          throw new BlobException("peer down");
        };
    for (int i = 0; i < 2; i++) {
      parsed.add(
          job,
          "r1",
          List.of(update(1)),
          unavailable,
          (s, e) -> failed.add(s.getUpdateHash()),
          () -> false);
    }

    assertThat(attempts).hasSize(1);
    assertThat(failed).containsExactly(update(1).getUpdateHash());
    assertThat(parsed.ready(job, "r1")).isEmpty();
  }

  @Test
  void stopsBetweenUpdatesWhenAskedAndForgetsJobsThatNoLongerRun() {
    parsed.add(
        job,
        "r1",
        List.of(update(1), update(2)),
        s -> {
          fetched.add(s.getUpdateHash());
          return weights;
        },
        (s, e) -> failed.add(s.getUpdateHash()),
        () -> true);
    assertThat(fetched).hasSize(1);

    parsed.retain(Set.of());
    assertThat(parsed.ready(job, "r1")).isEmpty();
  }
}
