package org.fedledger.learning.score;

import org.fedledger.learning.tensor.Weights;

/** Measures a model on held-out data; higher is better (e.g. accuracy, or negative loss). */
@FunctionalInterface
public interface Evaluator {
  double evaluate(Weights model);
}
