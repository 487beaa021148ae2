package org.fedledger.learning.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.Evaluation;
import org.fedledger.learning.train.LocalTrainer;
import org.junit.jupiter.api.Test;

class TrainerPoolTest {
  private static final ModelSpec LOGREG = ModelSpecs.preset("logreg");

  @Test
  void resultsComeBackByTaskIndexWhateverTheStartOrder() {
    try (TrainerPool pool = new TrainerPool(LOGREG, 2)) {
      List<Integer> results = pool.run(new int[] {3, 1, 0, 2}, (trainer, i) -> i * 10);
      assertThat(results).containsExactly(0, 10, 20, 30);
    }
  }

  @Test
  void aFailingTaskFailsTheRunWithItsOwnException() {
    try (TrainerPool pool = new TrainerPool(LOGREG, 2)) {
      assertThatThrownBy(
              () ->
                  pool.run(
                      new int[] {0, 1, 2},
                      (trainer, i) -> {
                        if (i == 1) {
                          throw new IllegalArgumentException("client 1 has no samples");
                        }
                        return i;
                      }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("client 1 has no samples");
      // The pool still works after a failed run: its trainers came back.
      assertThat(pool.run(new int[] {0, 1}, (trainer, i) -> i)).containsExactly(0, 1);
    }
  }

  @Test
  void chunkedParallelEvaluationCountsTheSameAsOneTrainer() throws Exception {
    DataSplit split = Datasets.fashionMnist(Optional.empty());
    LabeledData test = split.test().range(0, 1234);
    Weights weights = Models.initialWeights(LOGREG, 5);
    Evaluation whole;
    try (LocalTrainer trainer = LocalTrainer.create(LOGREG)) {
      whole = trainer.evaluate(weights, test);
    }
    try (TrainerPool pool = new TrainerPool(LOGREG, 3)) {
      Evaluation chunked = pool.evaluate(weights, test);
      assertThat(chunked.sampleCount()).isEqualTo(1234);
      assertThat(chunked.accuracy()).isEqualTo(whole.accuracy());
      // Summed per chunk rather than per batch: equal up to the last bits of a double.
      assertThat(chunked.loss()).isCloseTo(whole.loss(), org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void fewerThanOneWorkerIsRefused() {
    assertThatThrownBy(() -> new TrainerPool(LOGREG, 0))
        .hasMessageContaining("workers must be at least 1, got 0");
  }
}
