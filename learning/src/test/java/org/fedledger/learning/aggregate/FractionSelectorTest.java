package org.fedledger.learning.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FractionSelectorTest {
  private static List<String> clients(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(String.format("c%04d", i));
    }
    return ids;
  }

  @Test
  void selectsTheFractionSortedAndIndependentOfCandidateOrder() {
    FractionSelector s = new FractionSelector(0.1, 1, 7);
    List<String> ids = clients(1000);
    List<String> chosen = s.select(ids, 3);
    assertThat(chosen).hasSize(100).isSorted().doesNotHaveDuplicates();
    assertThat(ids).containsAll(chosen);
    List<String> shuffled = new ArrayList<>(ids);
    Collections.shuffle(shuffled, new Random(1));
    assertThat(s.select(shuffled, 3)).isEqualTo(chosen);
  }

  @Test
  void roundsAndSeedsChangeTheSelection() {
    List<String> ids = clients(100);
    FractionSelector s = new FractionSelector(0.2, 1, 7);
    Set<List<String>> seen = new HashSet<>();
    for (int round = 0; round < 5; round++) {
      seen.add(s.select(ids, round));
    }
    assertThat(seen).hasSize(5);
    assertThat(new FractionSelector(0.2, 1, 8).select(ids, 0)).isNotEqualTo(s.select(ids, 0));
  }

  @Test
  void selectsAtLeastTheMinimumAndAtMostAll() {
    assertThat(new FractionSelector(0.01, 2, 1).select(clients(5), 0)).hasSize(2);
    assertThat(new FractionSelector(1.0, 1, 1).select(clients(5), 0)).isEqualTo(clients(5));
    assertThat(new FractionSelector(0.5, 10, 1).select(clients(3), 0)).hasSize(3);
  }

  @Test
  void badFractionsAreRefused() {
    assertThatThrownBy(() -> new FractionSelector(0, 1, 1)).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> new FractionSelector(1.5, 1, 1)).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> new FractionSelector(0.5, 0, 1)).hasMessageContaining("at least 1");
  }
}
