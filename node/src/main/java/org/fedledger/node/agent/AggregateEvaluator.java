package org.fedledger.node.agent;

import java.util.List;
import java.util.Optional;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.stats.Standardization;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.LocalTrainer;

/**
 * Scores an aggregator's new global weights on its own evaluation set (the central test set), as
 * the metrics it reports ({@link ChainMetrics}): the task's metrics (accuracy, macro-F1 and, for
 * two classes, AUC; or RMSE, MAE and R²) and, if finite, {@code loss_micro}. A job that
 * standardizes is evaluated on the set standardized as its owners train. Keeps one evaluation
 * model, rebuilt when a job of another model spec comes along. Used from one agent thread.
 */
final class AggregateEvaluator implements AutoCloseable {
  static final String ACCURACY = ChainMetrics.ACCURACY;
  static final String LOSS = ChainMetrics.LOSS;

  private final LabeledData evaluation;
  private LocalTrainer model;
  private String modelSpec;
  private Standardization standardization;
  private LabeledData standardized;

  AggregateEvaluator(LabeledData evaluation) {
    this.evaluation = evaluation;
  }

  /**
   * The metrics of weights (of a model with the given spec JSON), sorted by name as the chain wants
   * them.
   *
   * @throws RuntimeException if the weights do not fit the spec or the evaluation set the model
   */
  List<Metric> metrics(String specJson, Weights weights) {
    return metrics(specJson, weights, Optional.empty());
  }

  /**
   * The metrics of weights on the evaluation set standardized with standardization, if given.
   *
   * @throws RuntimeException if the weights do not fit the spec, or the standardization the set
   */
  List<Metric> metrics(String specJson, Weights weights, Optional<Standardization> standardize) {
    if (model == null || !modelSpec.equals(specJson)) {
      close();
      model = LocalTrainer.create(ModelSpecs.fromJson(specJson));
      modelSpec = specJson;
    }
    AgentLoop.noGradOnThisThread();
    return ChainMetrics.of(model.evaluate(weights, evaluationSet(standardize)));
  }

  private LabeledData evaluationSet(Optional<Standardization> standardize) {
    if (standardize.isEmpty()) {
      return evaluation;
    }
    if (!standardize.get().equals(standardization)) {
      standardized = standardize.get().apply(evaluation);
      standardization = standardize.get();
    }
    return standardized;
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
      model = null;
      modelSpec = null;
    }
  }
}
