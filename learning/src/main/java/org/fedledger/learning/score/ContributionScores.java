package org.fedledger.learning.score;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores of one round, in client-id order, in parts per million summing to exactly 1,000,000 (or an
 * empty list when there was nothing to score).
 */
public record ContributionScores(List<ClientScore> scores) {
  public static final long TOTAL = 1_000_000L;

  /** One client's share. */
  public record ClientScore(String clientId, long ppm) {}

  public ContributionScores {
    scores = List.copyOf(scores);
    long sum = 0;
    for (ClientScore s : scores) {
      if (s.ppm() < 0) {
        throw new IllegalArgumentException("negative score for " + s.clientId());
      }
      sum += s.ppm();
    }
    if (!scores.isEmpty() && sum != TOTAL) {
      throw new IllegalArgumentException("scores sum to " + sum + ", not " + TOTAL);
    }
  }

  /** The client's share in ppm, 0 if it was not scored. */
  public long ppm(String clientId) {
    for (ClientScore s : scores) {
      if (s.clientId().equals(clientId)) {
        return s.ppm();
      }
    }
    return 0;
  }

  public Map<String, Long> asMap() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (ClientScore s : scores) {
      m.put(s.clientId(), s.ppm());
    }
    return m;
  }
}
