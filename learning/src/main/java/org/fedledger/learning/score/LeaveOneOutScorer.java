package org.fedledger.learning.score;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.learning.aggregate.AggregationInput;
import org.fedledger.learning.aggregate.AggregationResult;
import org.fedledger.learning.aggregate.Aggregator;
import org.fedledger.learning.aggregate.ClientUpdate;
import org.fedledger.learning.aggregate.UpdateValidator;

/**
 * Leave-one-out contribution: an accepted client's raw score is {@code max(0, v(all) - v(all
 * without it))}, where v evaluates the aggregated model on a validation set (the global model
 * itself when the client was alone). Converted to ppm by {@link PartsPerMillion}, falling back to
 * sample shares when no client helps. Costs one extra aggregation and evaluation per client, and
 * the evaluation usually runs native float code, so this is for analysis and simulation, not for
 * consensus; use {@link CosineScorer} on chain.
 */
public final class LeaveOneOutScorer {
  private final Aggregator aggregator;
  private final Evaluator evaluator;

  public LeaveOneOutScorer(Aggregator aggregator, Evaluator evaluator) {
    this.aggregator = aggregator;
    this.evaluator = evaluator;
  }

  public ContributionScores score(AggregationInput input) {
    AggregationResult full = aggregator.aggregate(input);
    double all = evaluator.evaluate(full.newGlobal());
    List<ClientUpdate> valid = UpdateValidator.validate(input.global(), input.updates()).accepted();
    List<String> ids = new ArrayList<>();
    double[] raw = new double[valid.size()];
    double[] fallback = new double[valid.size()];
    for (int i = 0; i < valid.size(); i++) {
      ClientUpdate left = valid.get(i);
      ids.add(left.clientId());
      fallback[i] = left.sampleCount();
      List<ClientUpdate> others = new ArrayList<>(valid);
      others.remove(i);
      double without =
          others.isEmpty()
              ? evaluator.evaluate(input.global())
              : evaluator.evaluate(
                  aggregator
                      .aggregate(new AggregationInput(input.global(), others, input.state()))
                      .newGlobal());
      double gain = all - without;
      raw[i] = Double.isFinite(gain) ? Math.max(0, gain) : 0;
    }
    return PartsPerMillion.allocate(ids, raw, fallback);
  }
}
