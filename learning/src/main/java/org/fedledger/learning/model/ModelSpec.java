package org.fedledger.learning.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;

/**
 * A declarative description of a model: what a job names on the chain and what every participant
 * builds locally. JSON form: {@code {"type":"mlp","inputShape":[1,28,28],"classes":10,
 * "hidden":[200,200]}}.
 *
 * @param type the architecture
 * @param inputShape the shape of one sample, without the batch axis: {@code [channels, height,
 *     width]} for images, {@code [features]} for tabular data
 * @param classes number of output classes (at least 2)
 * @param hidden sizes of the hidden dense layers: the layers of an MLP, the one dense layer of the
 *     CNN (512 in the paper); ignored by logreg and must be empty there
 */
public record ModelSpec(ModelType type, long[] inputShape, int classes, List<Integer> hidden) {
  @JsonCreator
  public ModelSpec(
      @JsonProperty("type") ModelType type,
      @JsonProperty("inputShape") long[] inputShape,
      @JsonProperty("classes") int classes,
      @JsonProperty("hidden") List<Integer> hidden) {
    if (type == null) {
      throw new IllegalArgumentException("a model spec needs a type: logreg, mlp or cnn");
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
    if (classes < 2) {
      throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
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
    this.type = type;
    this.inputShape = inputShape.clone();
    this.classes = classes;
    this.hidden = hidden;
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
        && classes == s.classes
        && hidden.equals(s.hidden);
  }

  @Override
  public int hashCode() {
    return ((type.hashCode() * 31 + Arrays.hashCode(inputShape)) * 31 + classes) * 31
        + hidden.hashCode();
  }

  @Override
  public String toString() {
    return type.id() + Arrays.toString(inputShape) + "->" + classes + " hidden=" + hidden;
  }
}
