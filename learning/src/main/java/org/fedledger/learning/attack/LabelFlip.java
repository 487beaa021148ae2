package org.fedledger.learning.attack;

/** Data poisoning: every label y becomes C - 1 - y, for C classes. */
public final class LabelFlip implements Attack {
  @Override
  public String name() {
    return "label-flip";
  }

  @Override
  public int[] poisonLabels(int[] labels, int classCount) {
    if (classCount < 2) {
      throw new IllegalArgumentException(
          "label flipping needs at least 2 classes, got " + classCount);
    }
    int[] out = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classCount) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " at index " + i + " is outside [0, " + classCount + ")");
      }
      out[i] = classCount - 1 - labels[i];
    }
    return out;
  }
}
