package org.fedledger.learning.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.fedledger.learning.aggregate.VectorMath;
import org.fedledger.learning.attack.Attack;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.io.WeightsHash;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.simulation.Seeds;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.LocalTrainer;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.learning.train.TrainResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientStepTest {
  private static final ModelSpec LOGREG = ModelSpecs.preset("logreg");
  private static final TrainConfig CONFIG = TrainConfig.defaults().withLearningRate(0.1f);
  private static final ClientSeeds SEEDS = new ClientSeeds(42, 3, 1);
  private static LabeledData data;
  private static Weights global;

  @BeforeAll
  static void load() throws Exception {
    data = Datasets.fashionMnist(Optional.empty()).train().range(0, 300);
    global = Models.initialWeights(LOGREG, 9);
  }

  private static LocalUpdate step(String attack) {
    ClientStep step =
        ClientStep.builder().setTrainConfig(CONFIG).optAttack(Attack.parse(attack)).build();
    try (LocalTrainer trainer = LocalTrainer.create(LOGREG)) {
      return step.run(trainer, global, data, SEEDS);
    }
  }

  @Test
  void anHonestStepSendsTheTrainedWeightsMinusTheGlobalOnes() {
    LocalUpdate honest = step("none");
    TrainResult direct;
    try (LocalTrainer trainer = LocalTrainer.create(LOGREG)) {
      direct = trainer.train(global, data, CONFIG, Seeds.localTraining(42, 3, 1));
    }
    Weights expected = VectorMath.subtract(direct.weights(), global);
    assertThat(WeightsHash.of(honest.delta())).isEqualTo(WeightsHash.of(expected));
    assertThat(honest.sampleCount()).isEqualTo(300);
    assertThat(honest.meanLoss()).isEqualTo(direct.meanLoss());
  }

  @Test
  void aLabelFlipperTrainsOnFlippedLabelsAndSendsThatDelta() {
    LocalUpdate honest = step("none");
    LocalUpdate flipped = step("label-flip");
    TrainResult onFlipped;
    try (LocalTrainer trainer = LocalTrainer.create(LOGREG)) {
      int[] poisoned = Attack.parse("label-flip").poisonLabels(data.labels(), data.classCount());
      onFlipped =
          trainer.train(global, data.withLabels(poisoned), CONFIG, Seeds.localTraining(42, 3, 1));
    }
    assertThat(WeightsHash.of(flipped.delta()))
        .isNotEqualTo(WeightsHash.of(honest.delta()))
        .isEqualTo(WeightsHash.of(VectorMath.subtract(onFlipped.weights(), global)));
    assertThat(flipped.meanLoss()).isEqualTo(onFlipped.meanLoss());
  }

  @Test
  void anUpdateAttackTransformsTheHonestDelta() {
    LocalUpdate honest = step("none");
    LocalUpdate signFlipped = step("sign-flip");
    assertThat(signFlipped.delta().flatten())
        .containsExactly(Attack.parse("sign-flip").poisonUpdate(honest.delta(), 0).flatten());
    assertThat(signFlipped.meanLoss()).isEqualTo(honest.meanLoss());
  }

  @Test
  void trainersOnTwoThreadsTrainAtOnceAndAgreeBitForBit() {
    CompletableFuture<LocalUpdate> a = CompletableFuture.supplyAsync(() -> step("none"));
    CompletableFuture<LocalUpdate> b = CompletableFuture.supplyAsync(() -> step("none"));
    assertThat(WeightsHash.of(a.join().delta())).isEqualTo(WeightsHash.of(b.join().delta()));
    assertThat(WeightsHash.of(a.join().delta())).isEqualTo(WeightsHash.of(step("none").delta()));
  }

  @Test
  void aStepWithoutTrainConfigIsRefused() {
    assertThatThrownBy(() -> ClientStep.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("setTrainConfig");
  }

  @Test
  void seedsNeedARoundFromOneAndAClientIndex() {
    assertThatThrownBy(() -> new ClientSeeds(1, 0, 0)).hasMessageContaining("rounds count from 1");
    assertThatThrownBy(() -> new ClientSeeds(1, 1, -1)).hasMessageContaining("0 or more");
    assertThat(SEEDS.training()).isEqualTo(Seeds.localTraining(42, 3, 1));
    assertThat(SEEDS.attack()).isEqualTo(Seeds.attack(42, 3, 1));
  }

  @Test
  void aPrivateStepTrainsWithFreshSecureNoiseEveryTime() {
    ClientStep step =
        ClientStep.builder()
            .setTrainConfig(CONFIG)
            .optPrivacy(new org.fedledger.learning.privacy.DpConfig(1f, 1f, 0.1, 5))
            .build();
    LocalUpdate first;
    LocalUpdate second;
    try (LocalTrainer trainer = LocalTrainer.create(LOGREG)) {
      first = step.run(trainer, global, data, SEEDS);
      second = step.run(trainer, global, data, SEEDS);
    }
    assertThat(step.privacy()).isPresent();
    assertThat(WeightsHash.of(first.delta())).isNotEqualTo(WeightsHash.of(second.delta()));
    assertThat(WeightsHash.of(first.delta())).isNotEqualTo(WeightsHash.of(step("none").delta()));
    assertThat(first.sampleCount()).isEqualTo(300);
  }
}
