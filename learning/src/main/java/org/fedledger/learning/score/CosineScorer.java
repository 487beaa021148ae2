package org.fedledger.learning.score;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedledger.learning.aggregate.AggregationResult;
import org.fedledger.learning.aggregate.ClientUpdate;
import org.fedledger.learning.aggregate.Exclusion;
import org.fedledger.learning.aggregate.Parallel;
import org.fedledger.learning.aggregate.VectorMath;
import org.fedledger.learning.tensor.Weights;

/**
 * Scores each accepted update by how much it pointed the same way as the round's aggregate:
 *
 * <pre>
 *   raw_i = max(0, cos(d_i, A)) * n_i / N
 * </pre>
 *
 * where d_i is the client's delta, A the round's combined delta ({@link
 * AggregationResult#aggregateDelta()}), n_i its sample count and N the total over the scored
 * updates; a zero-norm delta or aggregate has cosine 0. Updates a robust strategy excluded score 0:
 * they are not part of the model. Raw scores become ppm by {@link PartsPerMillion} (falling back to
 * sample shares if every cosine is 0). An update opposed to the aggregate (e.g. sign-flipped)
 * scores 0. Dot products and norms use {@link VectorMath}'s fixed-order sums, so every verifier
 * computes the same integers.
 */
public final class CosineScorer {
  private final Parallel parallel;

  public CosineScorer(Parallel parallel) {
    this.parallel = parallel;
  }

  public CosineScorer() {
    this(Parallel.SERIAL);
  }

  /** Scores the updates a round accepted, against that round's aggregate. */
  public ContributionScores score(List<ClientUpdate> updates, AggregationResult result) {
    Set<String> accepted = new HashSet<>(result.accepted());
    Set<String> excluded = new HashSet<>();
    for (Exclusion e : result.excluded()) {
      excluded.add(e.clientId());
    }
    List<ClientUpdate> scored = new ArrayList<>();
    for (ClientUpdate u : updates) {
      if (accepted.contains(u.clientId())) {
        scored.add(u);
      }
    }
    scored.sort(java.util.Comparator.comparing(ClientUpdate::clientId));
    return score(scored, result.aggregateDelta(), excluded);
  }

  /**
   * Scores updates against a reference delta.
   *
   * @param updates valid updates, in client-id order
   * @param excluded ids that get 0 regardless of direction
   */
  public ContributionScores score(
      List<ClientUpdate> updates, Weights aggregate, Set<String> excluded) {
    double total = 0;
    for (ClientUpdate u : updates) {
      total += u.sampleCount();
    }
    double aggregateNorm = VectorMath.norm(aggregate, parallel);
    List<String> ids = new ArrayList<>(updates.size());
    double[] raw = new double[updates.size()];
    double[] fallback = new double[updates.size()];
    for (int i = 0; i < raw.length; i++) {
      ClientUpdate u = updates.get(i);
      ids.add(u.clientId());
      if (excluded.contains(u.clientId())) {
        continue;
      }
      double share = u.sampleCount() / total;
      fallback[i] = share;
      double norm = VectorMath.norm(u.delta(), parallel);
      double cos =
          norm == 0 || aggregateNorm == 0
              ? 0
              : VectorMath.dot(u.delta(), aggregate, parallel) / (norm * aggregateNorm);
      raw[i] = Math.max(0, cos) * share;
    }
    if (ids.size() > 0 && excluded.containsAll(ids)) {
      java.util.Arrays.fill(fallback, 1.0);
    }
    return PartsPerMillion.allocate(ids, raw, fallback);
  }
}
