package org.fedledger.learning.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.Engines;
import org.junit.jupiter.api.Test;

class ModelsTest {
  @Test
  void cnnOfMcMahanHasTheExpectedParameterCount() {
    // conv1 5*5*1*32+32, conv2 5*5*32*64+64, dense 7*7*64*512+512, out 512*10+10
    long expected = 832 + 51_264 + 1_606_144 + 5_130;
    assertThat(Models.parameterCount(ModelSpecs.preset("cnn"))).isEqualTo(expected);
    assertThat(expected).isEqualTo(1_663_370L);
  }

  @Test
  void mlpAndLogregParameterCounts() {
    assertThat(Models.parameterCount(ModelSpecs.preset("logreg"))).isEqualTo(784 * 10 + 10);
    assertThat(Models.parameterCount(ModelSpecs.preset("mlp")))
        .isEqualTo(784 * 200 + 200 + 200 * 200 + 200 + 200 * 10 + 10);
  }

  @Test
  void forwardGivesOneRowOfClassScoresPerSample() {
    for (String preset : ModelSpecs.PRESETS) {
      ModelSpec spec = ModelSpecs.preset(preset);
      try (NDManager m = Engines.pytorch().newBaseManager()) {
        Block block = Models.buildInitialized(spec, m);
        NDArray x = m.randomUniform(0, 1, Models.batchShape(spec, 3));
        NDList out = block.forward(new ParameterStore(m, false), new NDList(x), false);
        assertThat(out.singletonOrThrow().getShape().getShape()).containsExactly(3, 10);
      }
    }
  }

  @Test
  void sameSeedGivesSameInitialBytesAndDifferentSeedDifferentOnes() {
    ModelSpec spec = ModelSpecs.preset("mlp");
    Weights a = Models.initialWeights(spec, 7);
    Weights b = Models.initialWeights(spec, 7);
    Weights c = Models.initialWeights(spec, 8);
    assertThat(Safetensors.write(a)).isEqualTo(Safetensors.write(b));
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
    // PyTorch's default bound: every first-layer value within 1/sqrt(784).
    for (float v : a.tensors().get(0).values()) {
      assertThat(Math.abs(v)).isLessThanOrEqualTo((float) (1 / Math.sqrt(784)));
    }
  }

  @Test
  void weightsNamesFollowDjlParameterOrderAndRoundTripThroughABlock() {
    ModelSpec spec = ModelSpecs.preset("cnn");
    Weights w = Models.initialWeights(spec, 1);
    assertThat(w.tensors()).extracting(NamedTensor::name).first().asString().endsWith("_weight");
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Block block = Models.buildInitialized(spec, m);
      Models.load(block, w);
      assertThat(Models.weightsOf(block)).isEqualTo(w);
    }
  }

  @Test
  void loadingWeightsOfAnotherShapeFailsClearly() {
    Weights logreg = Models.initialWeights(ModelSpecs.preset("logreg"), 1);
    List<NamedTensor> wrong = new ArrayList<>(logreg.tensors());
    NamedTensor first = wrong.get(0);
    wrong.set(0, new NamedTensor(first.name(), new long[] {10, 392, 2}, first.values()));
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Block block = Models.buildInitialized(ModelSpecs.preset("logreg"), m);
      assertThatThrownBy(() -> Models.load(block, new Weights(wrong)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("different model spec");
      Weights mlp = Models.initialWeights(ModelSpecs.preset("mlp"), 1);
      assertThatThrownBy(() -> Models.load(block, mlp)).hasMessageContaining("parameter tensors");
    }
  }
}
