package org.fedledger.learning.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.privacy.DpConfig;
import org.fedledger.learning.privacy.SecureNoise;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.Test;

class LocalTrainerMemoryTest {
  @Test
  void nativeMemoryStaysFlatOverAHundredRounds() throws IOException {
    LabeledData all = Datasets.embeddedTestImages();
    LabeledData local = all.range(0, 64);
    LabeledData test = all.range(64, 128);
    ModelSpec spec = ModelSpecs.preset("mlp");
    Weights global = Models.initialWeights(spec, 1);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      TrainConfig sgd = TrainConfig.defaults().withBatchSize(16);
      TrainConfig proxAdam = sgd.withOptimizer(OptimizerKind.ADAM).withProxMu(0.1f);
      // Warm up: the first rounds load the engine and grow allocator pools.
      for (int round = 0; round < 5; round++) {
        global = oneRound(trainer, global, local, test, round % 2 == 0 ? sgd : proxAdam, round);
      }
      int arraysBefore = openArrays();
      long rssBefore = rssKb();
      for (int round = 5; round < 105; round++) {
        global = oneRound(trainer, global, local, test, round % 2 == 0 ? sgd : proxAdam, round);
      }
      assertThat(openArrays()).isEqualTo(arraysBefore);
      // The module's tests run with a fixed, pre-touched heap (see learning/pom.xml), so resident
      // growth is native. Leaking one copy of this MLP's parameters per round would be 90 MB.
      assertThat(rssKb() - rssBefore).isLessThan(50_000);
    }
  }

  @Test
  void privateTrainingKeepsNativeMemoryFlatAndLeavesNoDrawingThread() throws IOException {
    // DP-SGD noises the clipped sums through views of their native memory and draws its noise on a
    // second thread: neither may leave memory, arrays or threads behind after a round.
    LabeledData all = Datasets.embeddedTestImages();
    LabeledData local = all.range(0, 64);
    ModelSpec spec = ModelSpecs.preset("mlp");
    Weights global = Models.initialWeights(spec, 1);
    DpConfig dp = new DpConfig(1f, 1f, 0.25, 4);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      TrainConfig sgd = TrainConfig.defaults();
      TrainConfig proxAdam = sgd.withOptimizer(OptimizerKind.ADAM).withProxMu(0.1f);
      for (int round = 0; round < 5; round++) {
        TrainConfig config = round % 2 == 0 ? sgd : proxAdam;
        global = trainer.trainPrivately(global, local, config, dp, SecureNoise.create()).weights();
      }
      int arraysBefore = openArrays();
      long rssBefore = rssKb();
      for (int round = 5; round < 105; round++) {
        TrainConfig config = round % 2 == 0 ? sgd : proxAdam;
        global = trainer.trainPrivately(global, local, config, dp, SecureNoise.create()).weights();
      }
      assertThat(openArrays()).isEqualTo(arraysBefore);
      assertThat(rssKb() - rssBefore).isLessThan(50_000);
      assertThat(Thread.getAllStackTraces().keySet())
          .noneMatch(t -> t.getName().equals("dp-noise-ahead") && t.isAlive());
    }
  }

  private static Weights oneRound(
      LocalTrainer trainer,
      Weights global,
      LabeledData local,
      LabeledData test,
      TrainConfig config,
      long seed) {
    Weights next = trainer.train(global, local, config, seed).weights();
    trainer.evaluate(next, test);
    return next;
  }

  private static int openArrays() {
    // The parent of a base manager is the engine's system manager, the root of every array.
    try (NDManager probe = Engines.pytorch().newBaseManager()) {
      return probe.getParentManager().getManagedArrays().size();
    }
  }

  private static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
