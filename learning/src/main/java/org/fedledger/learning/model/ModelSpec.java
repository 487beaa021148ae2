package org.fedledger.learning.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.fedledger.learning.data.schema.Task;

/**
 * A declarative description of a model: what a job names on the chain and what every participant
 * builds locally. JSON form ({@link ModelSpecs#toJson}) for a classifier: {@code
 * {"type":"mlp","inputShape":[1,28,28], "classes":10,"hidden":[200,200]}}; for a regression: {@code
 * {"type":"logreg","inputShape":[10], "task":"regression","outputs":1,"hidden":[]}} (a classifier's
 * JSON names no task, so that specs written before regression existed read and hash as they did).
 *
 * @param type the architecture; for regression {@code logreg} is the linear model
 * @param inputShape the shape of one sample, without the batch axis: {@code [channels, height,
 *     width]} for images, {@code [features]} for tabular data
 * @param task classification (softmax cross-entropy over {@code outputs} classes) or regression
 *     (mean squared error on {@code outputs} real values)
 * @param outputs the width of the last layer: number of classes (at least 2) or of regression
 *     targets (at least 1)
 * @param hidden sizes of the hidden dense layers: the layers of an MLP, the one dense layer of the
 *     CNN (512 in the paper); ignored by logreg and must be empty there
 */
public record ModelSpec(
    ModelType type, long[] inputShape, Task task, int outputs, List<Integer> hidden) {

  /** A classifier over the given number of classes. */
  public ModelSpec(ModelType type, long[] inputShape, int classes, List<Integer> hidden) {
    this(type, inputShape, Task.CLASSIFICATION, classes, hidden);
  }

  public ModelSpec {
    if (type == null) {
      throw new IllegalArgumentException("a model spec needs a type: logreg, mlp or cnn");
    }
    if (task == null) {
      throw new IllegalArgumentException("a model spec needs a task: classification or regression");
    }
    if (inputShape == null || inputShape.length == 0) {
      throw new IllegalArgumentException("a model spec needs an inputShape, e.g. [1,28,28]");
    }
    for (long d : inputShape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            "inputShape dimensions must be positive, got " + Arrays.toString(inputShape));
      }
    }
    if (task == Task.CLASSIFICATION && outputs < 2) {
      throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + outputs);
    }
    if (task == Task.REGRESSION && outputs < 1) {
      throw new IllegalArgumentException(
          "a regression needs at least 1 output in \"outputs\", got " + outputs);
    }
    hidden = hidden == null ? List.of() : List.copyOf(hidden);
    for (int h : hidden) {
      if (h <= 0) {
        throw new IllegalArgumentException("hidden layer sizes must be positive, got " + hidden);
      }
    }
    if (type == ModelType.LOGREG && !hidden.isEmpty()) {
      throw new IllegalArgumentException("logreg has no hidden layers, but hidden=" + hidden);
    }
    if (type == ModelType.CNN) {
      if (inputShape.length != 3) {
        throw new IllegalArgumentException(
            "cnn needs an image inputShape [channels, height, width], got "
                + Arrays.toString(inputShape));
      }
      if (inputShape[1] < 4 || inputShape[2] < 4) {
        throw new IllegalArgumentException(
            "cnn pools twice by 2, so height and width must be at least 4, got "
                + Arrays.toString(inputShape));
      }
      if (hidden.size() != 1) {
        throw new IllegalArgumentException(
            "cnn has exactly one hidden dense layer (512 in McMahan et al.), got " + hidden);
      }
    }
    inputShape = inputShape.clone();
  }

  /**
   * Number of classes of a classifier.
   *
   * @throws IllegalStateException for a regression, which has outputs, not classes
   */
  public int classes() {
    if (task != Task.CLASSIFICATION) {
      throw new IllegalStateException(
          "a regression model has " + outputs + " outputs, not classes; use outputs()");
    }
    return outputs;
  }

  /** True for a regression model. */
  public boolean isRegression() {
    return task == Task.REGRESSION;
  }

  @Override
  public long[] inputShape() {
    return inputShape.clone();
  }

  /** Number of values in one sample: the product of {@link #inputShape()}. */
  public long inputSize() {
    long n = 1;
    for (long d : inputShape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec s
        && type == s.type
        && Arrays.equals(inputShape, s.inputShape)
        && task == s.task
        && outputs == s.outputs
        && hidden.equals(s.hidden);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, Arrays.hashCode(inputShape), task, outputs, hidden);
  }

  @Override
  public String toString() {
    String head = isRegression() ? outputs + " outputs (regression)" : String.valueOf(outputs);
    return type.id() + Arrays.toString(inputShape) + "->" + head + " hidden=" + hidden;
  }
}
