package org.fedledger.learning.data.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the model predicts and where the answers are.
 *
 * @param task classification or regression
 * @param columns the table's answer columns: exactly one (the class) for classification, one per
 *     output for regression; empty for image folders and IDX, whose labels are not columns
 * @param classes classification's class names, in output order (at least 2); empty for regression
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LabelSpec(Task task, List<String> columns, List<String> classes) {
  public LabelSpec {
    if (task == null) {
      throw new IllegalArgumentException(
          "the label needs a \"task\": classification or regression");
    }
    columns = columns == null ? List.of() : List.copyOf(columns);
    classes = classes == null ? List.of() : List.copyOf(classes);
    checkDistinct("label column", columns);
    if (task == Task.CLASSIFICATION) {
      if (columns.size() > 1) {
        throw new IllegalArgumentException(
            "classification has one label column, got " + columns + "; name just one");
      }
      if (classes.size() < 2) {
        throw new IllegalArgumentException(
            "classification needs at least 2 class names in \"classes\", got " + classes);
      }
      checkDistinct("class", classes);
    } else {
      if (columns.isEmpty()) {
        throw new IllegalArgumentException(
            "regression needs its output columns in \"columns\", e.g. [\"price\"]");
      }
      if (!classes.isEmpty()) {
        throw new IllegalArgumentException(
            "regression has no classes, but \"classes\" is " + classes + "; remove it");
      }
    }
  }

  private static void checkDistinct(String what, List<String> names) {
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (n == null || n.isEmpty() || !seen.add(n)) {
        throw new IllegalArgumentException(
            "empty or repeated " + what + " name '" + n + "' in " + names);
      }
    }
  }

  /** A classification label in the given column (null for folders and IDX). */
  public static LabelSpec classification(String column, List<String> classes) {
    return new LabelSpec(
        Task.CLASSIFICATION, column == null ? List.of() : List.of(column), classes);
  }

  /** A regression on the given output columns. */
  public static LabelSpec regression(List<String> columns) {
    return new LabelSpec(Task.REGRESSION, columns, List.of());
  }

  /** The model's output width: classes, or output columns. */
  public int outputCount() {
    return task == Task.CLASSIFICATION ? classes.size() : columns.size();
  }
}
