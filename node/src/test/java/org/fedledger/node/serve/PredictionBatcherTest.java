package org.fedledger.node.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelType;
import org.fedledger.learning.model.Models;
import org.fedledger.testkit.CloseRace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dynamic batcher on a real (small) PyTorch model: requests that come together are answered
 * each with its own rows, whatever batch they ran in, and a closed batcher answers nothing.
 */
class PredictionBatcherTest {
  private static final ModelSpec SPEC = new ModelSpec(ModelType.MLP, new long[] {4}, 3, List.of(8));

  private ServedModel reference;
  private PredictionBatcher batcher;
  private final List<Integer> batches = new ArrayList<>();

  @BeforeEach
  void load() {
    reference = new ServedModel(SPEC, Models.initialWeights(SPEC, 7));
    batcher =
        new PredictionBatcher(
            new ServedModel(SPEC, Models.initialWeights(SPEC, 7)),
            64,
            200,
            rows -> {
              synchronized (batches) {
                batches.add(rows);
              }
            });
  }

  @AfterEach
  void close() {
    batcher.close();
    reference.close();
  }

  private static float[] row(int i) {
    return new float[] {i, -i, 0.5f * i, 1};
  }

  @Test
  void concurrentRequestsEachGetTheirOwnRowsWhateverBatchTheyRanIn() throws Exception {
    int requests = 200;
    List<Future<float[]>> answers = new ArrayList<>();
    try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < requests; i++) {
        float[] x = row(i);
        answers.add(clients.submit(() -> batcher.submit(x, 1).get(30, TimeUnit.SECONDS)));
      }
      for (int i = 0; i < requests; i++) {
        // Within float rounding: a row's sums may be added in another order inside a batch.
        assertThat(answers.get(i).get())
            .containsExactly(reference.forward(row(i), 1), within(1e-5f));
      }
    }
    synchronized (batches) {
      assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(requests);
    }
  }

  @Test
  void everyRequestIsAnsweredOrRefusedWhenCloseRacesWithSubmits() throws Exception {
    // Callers wait untimed (PredictHandler), so no request may be left queued by a close.
    List<CompletableFuture<float[]>> taken =
        CloseRace.futuresTakenWhileClosing(
            4, 2_000, i -> batcher.submit(row(i), 1), batcher::close);
    assertThat(taken).hasSize(8_000);
    for (CompletableFuture<float[]> f : taken) {
      // Done at once or very soon: answered, or refused with the reason.
      assertThat(
              f.handle((out, e) -> e == null || e.getMessage().contains("no longer served"))
                  .get(5, TimeUnit.SECONDS))
          .isTrue();
    }
  }

  @Test
  void aClosedBatcherRefusesRequests() {
    batcher.close();
    assertThatThrownBy(() -> batcher.submit(row(1), 1).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("the model is no longer served");
  }
}
