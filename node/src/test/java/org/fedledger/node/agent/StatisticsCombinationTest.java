package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.learning.data.stats.FeatureStatistics;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.BlobStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statistics step's combination ({@link StatisticsStep#run}) on blobs in a real blob store: the
 * valid reports are combined in member order, the others (undecodable, wrong-shaped, overflowing,
 * or not to be had) rejected with the reason, so that one bad report no longer stalls the step.
 */
class StatisticsCombinationTest {
  @TempDir Path dir;
  private BlobStore store;
  private BlobSource blobs;
  private final List<ByteString> members = new ArrayList<>();

  @BeforeEach
  void aStore() {
    store = new BlobStore(dir.resolve("blobs"));
    blobs =
        new BlobSource(
            new BlobClient(Ed25519KeyPair.fromSeed(new byte[32]), store, Clock.systemUTC()),
            List.of());
    for (int i = 0; i < 4; i++) {
      members.add(ByteString.copyFrom(new byte[] {(byte) i}));
    }
  }

  private Submission report(int member, byte[] blob) throws Exception {
    Hash h = store.put(blob);
    return Submission.newBuilder()
        .setParticipant(members.get(member))
        .setUpdateHash(h.toByteString())
        .setSampleCount(10)
        .setBlobLocation("http://127.0.0.1:1/blobs")
        .build();
  }

  /** The step on reports fetched here, one after another, as the agent's fetchers would. */
  private StatisticsStep.Outcome combine(int features, List<Submission> submissions)
      throws Exception {
    Map<ByteString, byte[]> fetched = new HashMap<>();
    for (Submission s : submissions) {
      fetched.put(
          s.getUpdateHash(),
          blobs.get(
              Hash.of(s.getUpdateHash()),
              s.getBlobLocation(),
              StatisticsStep.reportLimits(features)));
    }
    return StatisticsStep.run(fetched, Map.of(), members, features, submissions);
  }

  private static FeatureStatistics stats(long count, double sum, int features) {
    long[] counts = new long[features];
    double[] sums = new double[features];
    double[] squares = new double[features];
    for (int j = 0; j < features; j++) {
      counts[j] = count;
      sums[j] = sum + j;
      squares[j] = (sum + j) * (sum + j);
    }
    return FeatureStatistics.of(counts, sums, squares);
  }

  @Test
  void undecodableAndWrongShapedReportsAreRejectedAndTheOthersCombinedInMemberOrder()
      throws Exception {
    FeatureStatistics a = stats(10, 1.5, 3);
    FeatureStatistics c = stats(7, -2.25, 3);
    Submission garbage =
        report(1, "not statistics".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Submission narrow = report(3, stats(5, 1, 2).toBytes());
    // Submitted out of member order: member 2 first.
    List<Submission> submissions =
        List.of(report(2, c.toBytes()), garbage, report(0, a.toBytes()), narrow);

    StatisticsStep.Outcome out = combine(3, submissions);

    FeatureStatistics expected = FeatureStatistics.combine(List.of(a, c));
    assertThat(out.combined()).isEqualTo(expected);
    assertThat(out.hash()).isEqualTo(expected.hash());
    assertThat(out.blob()).isEqualTo(expected.toBytes());
    assertThat(out.accepted())
        .containsExactly(submissions.get(0).getUpdateHash(), submissions.get(2).getUpdateHash());
    assertThat(out.rejected())
        .extracting(Rejection::getUpdateHash)
        .containsExactly(garbage.getUpdateHash(), narrow.getUpdateHash());
    assertThat(out.rejected().get(0).getReason()).startsWith("not feature statistics: ");
    assertThat(out.rejected().get(1).getReason())
        .isEqualTo("statistics of 2 features, but the job's model takes 3 inputs");
  }

  @Test
  void aReportWhoseCountsWouldOverflowTheCombinationIsRejected() throws Exception {
    Submission first = report(0, stats(10, 1, 2).toBytes());
    Submission huge = report(1, stats(Long.MAX_VALUE, 1, 2).toBytes());
    StatisticsStep.Outcome out = combine(2, List.of(first, huge));
    assertThat(out.accepted()).containsExactly(first.getUpdateHash());
    assertThat(out.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getUpdateHash()).isEqualTo(huge.getUpdateHash());
              assertThat(r.getReason()).contains("overflows the combined count");
            });
  }

  /**
   * The attack: an owner whose server never serves its report. The step no longer waits for it
   * (which let one owner stall round 0 until the aggregator missed its window): the report is
   * rejected with the reason it could not be had, and the others are combined.
   */
  @Test
  void aReportThatCouldNotBeHadIsRejectedWithItsBlobReasonAndTheOthersCombined() throws Exception {
    FeatureStatistics a = stats(10, 1.5, 3);
    Submission served = report(0, a.toBytes());
    Submission withheld = report(1, stats(4, 2, 3).toBytes());
    String reason = RoundAggregation.BLOB_REASON + "unavailable: not fetched within 20 s";

    StatisticsStep.Outcome out =
        StatisticsStep.run(
            Map.of(served.getUpdateHash(), a.toBytes()),
            Map.of(withheld.getUpdateHash(), reason),
            members,
            3,
            List.of(withheld, served));

    assertThat(out.combined()).isEqualTo(FeatureStatistics.combine(List.of(a)));
    assertThat(out.accepted()).containsExactly(served.getUpdateHash());
    assertThat(out.rejected())
        .containsExactly(
            Rejection.newBuilder()
                .setUpdateHash(withheld.getUpdateHash())
                .setReason(reason)
                .build());
  }

  @Test
  void aSubmissionNeitherFetchedNorMissedIsAnErrorNotASilentRejection() throws Exception {
    Submission lost = report(0, stats(10, 1, 3).toBytes());
    assertThatThrownBy(() -> StatisticsStep.run(Map.of(), Map.of(), members, 3, List.of(lost)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("neither fetched nor missed");
  }

  @Test
  void withoutAnyValidReportThereIsNothingToCommit() throws Exception {
    Submission narrow = report(0, stats(5, 1, 2).toBytes());
    assertThatThrownBy(() -> combine(3, List.of(narrow)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no report is valid feature statistics")
        .hasMessageContaining("statistics of 2 features");
  }
}
