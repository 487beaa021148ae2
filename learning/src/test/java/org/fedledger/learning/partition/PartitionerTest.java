package org.fedledger.learning.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PartitionerTest {
  private static final List<String> SPECS =
      List.of("iid", "dirichlet:0.05", "dirichlet:0.5", "dirichlet:100", "shards:1", "shards:2");

  /** Random labels over classes, some classes possibly absent, for property checks. */
  private static int[] labels(int n, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(classes);
    }
    return labels;
  }

  @Test
  void everySampleGoesToExactlyOneClientAndNoClientIsEmpty() {
    SplittableRandom cases = new SplittableRandom(42);
    for (String spec : SPECS) {
      Partitioner p = Partitioner.parse(spec);
      for (int trial = 0; trial < 40; trial++) {
        int classes = 2 + cases.nextInt(9);
        int clients = 1 + cases.nextInt(30);
        int n = clients * 2 + cases.nextInt(500);
        int[] labels = labels(n, classes, cases.nextLong());
        long seed = cases.nextLong();
        int[][] parts = p.partition(labels, classes, clients, seed);
        assertThat(parts).as("%s clients=%d n=%d", spec, clients, n).hasNumberOfRows(clients);
        int[] owner = new int[n];
        Arrays.fill(owner, -1);
        for (int c = 0; c < clients; c++) {
          assertThat(parts[c]).as("%s client %d of %d, n=%d", spec, c, clients, n).isNotEmpty();
          assertThat(parts[c]).isSorted();
          for (int i : parts[c]) {
            assertThat(owner[i]).as("sample %d assigned twice by %s", i, spec).isEqualTo(-1);
            owner[i] = c;
          }
        }
        assertThat(owner).doesNotContain(-1);
        // Same inputs, same partition.
        assertThat(p.partition(labels, classes, clients, seed)).isDeepEqualTo(parts);
      }
    }
  }

  @Test
  void differentSeedsGiveDifferentPartitions() {
    int[] labels = labels(1000, 10, 1);
    for (String spec : SPECS) {
      Partitioner p = Partitioner.parse(spec);
      assertThat(Arrays.deepEquals(p.partition(labels, 10, 10, 1), p.partition(labels, 10, 10, 2)))
          .as(spec)
          .isFalse();
    }
  }

  @Test
  void iidSizesDifferByAtMostOneAndClassMixIsBroad() {
    int[] labels = labels(10_000, 10, 3);
    int[][] parts = new IidPartitioner().partition(labels, 10, 7, 5);
    for (int[] part : parts) {
      assertThat(part.length).isBetween(10_000 / 7, 10_000 / 7 + 1);
    }
    LabelSummary s = LabelSummary.of(parts, labels, 10);
    for (int c = 0; c < 7; c++) {
      assertThat(s.classesPresent(c)).isEqualTo(10);
    }
  }

  @Test
  void smallDirichletAlphaSkewsLabelsAndLargeAlphaDoesNot() {
    int[] labels = labels(20_000, 10, 4);
    double skewed =
        meanDominantShare(new DirichletPartitioner(0.1).partition(labels, 10, 20, 1), labels);
    double mixed =
        meanDominantShare(new DirichletPartitioner(1000).partition(labels, 10, 20, 1), labels);
    assertThat(skewed).isGreaterThan(0.5);
    assertThat(mixed).isLessThan(0.2);
  }

  @Test
  void shardsGiveEachClientFewClasses() {
    // Balanced labels: 100 per class, 1000 samples, 50 clients x 2 shards of 10 samples.
    int[] labels = new int[1000];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 10;
    }
    int[][] parts = new ShardPartitioner(2).partition(labels, 10, 50, 9);
    LabelSummary s = LabelSummary.of(parts, labels, 10);
    for (int c = 0; c < 50; c++) {
      assertThat(s.size(c)).isEqualTo(20);
      assertThat(s.classesPresent(c)).isBetween(1, 2);
    }
    assertThat(s.table()).startsWith("client 0: 20 samples [");
  }

  @Test
  void dirichletFillsEmptyClientsFromTheLargest() {
    // Tiny alpha and few samples: the draw leaves clients empty, which the repair must fill.
    int[] labels = labels(12, 3, 5);
    for (long seed = 0; seed < 50; seed++) {
      int[][] parts = new DirichletPartitioner(0.01).partition(labels, 3, 12, seed);
      for (int[] part : parts) {
        assertThat(part).hasSize(1);
      }
    }
  }

  @Test
  void labelSummaryCounts() {
    int[] labels = {0, 1, 1, 2};
    LabelSummary s = LabelSummary.of(new int[][] {{0, 1}, {2, 3}}, labels, 3);
    assertThat(s.counts()[0]).containsExactly(1, 1, 0);
    assertThat(s.counts()[1]).containsExactly(0, 1, 1);
    assertThat(s.clients()).isEqualTo(2);
  }

  @Test
  void specsParseAndBadSpecsFailClearly() {
    assertThat(Partitioner.parse(" IID ").spec()).isEqualTo("iid");
    assertThat(((DirichletPartitioner) Partitioner.parse("dirichlet:0.5")).alpha()).isEqualTo(0.5);
    assertThat(((ShardPartitioner) Partitioner.parse("shards:2")).shardsPerClient()).isEqualTo(2);
    assertThat(Partitioner.parse(Partitioner.parse("dirichlet:0.5").spec()).spec())
        .isEqualTo("dirichlet:0.5");
    assertThatThrownBy(() -> Partitioner.parse("")).hasMessageContaining("empty partitioner spec");
    assertThatThrownBy(() -> Partitioner.parse("zipf:2"))
        .hasMessageContaining("unknown partitioner 'zipf:2'");
    assertThatThrownBy(() -> Partitioner.parse("iid:3")).hasMessageContaining("no parameter");
    assertThatThrownBy(() -> Partitioner.parse("dirichlet"))
        .hasMessageContaining("needs a parameter");
    assertThatThrownBy(() -> Partitioner.parse("dirichlet:abc"))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> Partitioner.parse("dirichlet:0")).hasMessageContaining("positive");
    assertThatThrownBy(() -> Partitioner.parse("dirichlet:-1")).hasMessageContaining("positive");
    assertThatThrownBy(() -> Partitioner.parse("shards:1.5"))
        .hasMessageContaining("not an integer");
    assertThatThrownBy(() -> Partitioner.parse("shards:0")).hasMessageContaining("at least 1");
  }

  @Test
  void impossibleRequestsFailClearly() {
    int[] labels = {0, 1, 0};
    Partitioner iid = Partitioner.parse("iid");
    assertThatThrownBy(() -> iid.partition(labels, 2, 4, 1))
        .hasMessageContaining("use fewer clients");
    assertThatThrownBy(() -> iid.partition(labels, 2, 0, 1))
        .hasMessageContaining("at least one client");
    assertThatThrownBy(() -> iid.partition(new int[] {0, 5}, 2, 1, 1))
        .hasMessageContaining("label 5");
    assertThatThrownBy(() -> new ShardPartitioner(2).partition(labels, 2, 2, 1))
        .hasMessageContaining("need at least 4 samples");
  }

  private static double meanDominantShare(int[][] parts, int[] labels) {
    LabelSummary s = LabelSummary.of(parts, labels, 10);
    double sum = 0;
    for (int c = 0; c < s.clients(); c++) {
      int max = Arrays.stream(s.counts()[c]).max().orElse(0);
      sum += (double) max / s.size(c) - 0.1;
    }
    return sum / s.clients();
  }

  @Test
  void regressionDataIsSplitIidAndRefusesClassSkew() {
    org.fedledger.learning.data.LabeledData reg =
        org.fedledger.learning.data.LabeledData.regression(
            new float[10], new int[] {1}, new float[10], 1);
    int[][] parts = Partitioner.parse("iid").partition(reg, 3, 1);
    assertThat(new int[] {parts[0].length, parts[1].length, parts[2].length})
        .containsExactly(4, 3, 3);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Partitioner.parse("dirichlet:0.5").partition(reg, 3, 1))
        .hasMessageContaining("regression data has no classes; use iid");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Partitioner.parse("shards:2").partition(reg, 3, 1))
        .hasMessageContaining("use iid");
  }
}
