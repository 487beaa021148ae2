package org.fedledger.node.agent;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.Evaluation;
import org.fedledger.learning.train.LocalTrainer;

/**
 * Scores an aggregator's new global weights on its own evaluation set, as the metrics it reports:
 * {@code accuracy_ppm} and, if finite, {@code loss_micro}. Keeps one evaluation model, rebuilt when
 * a job of another model spec comes along. Used from one agent thread.
 */
final class AggregateEvaluator implements AutoCloseable {
  static final String ACCURACY = "accuracy_ppm";
  static final String LOSS = "loss_micro";

  private final LabeledData evaluation;
  private LocalTrainer model;
  private String modelSpec;

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
    if (model == null || !modelSpec.equals(specJson)) {
      close();
      model = LocalTrainer.create(ModelSpecs.fromJson(specJson));
      modelSpec = specJson;
    }
    AgentLoop.noGradOnThisThread();
    Evaluation e = model.evaluate(weights, evaluation);
    List<Metric> metrics = new ArrayList<>();
    metrics.add(metric(ACCURACY, Math.round(e.accuracy() * 1e6)));
    if (Double.isFinite(e.loss())) {
      metrics.add(metric(LOSS, Math.round(e.loss() * 1e6)));
    }
    return metrics;
  }

  private static Metric metric(String name, long value) {
    return Metric.newBuilder().setName(name).setValue(value).build();
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
