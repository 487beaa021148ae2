package org.fedledger.learning.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.Test;

class WeightsOrderTest {
  private static final NamedTensor W =
      new NamedTensor("02Linear_weight", new long[] {1}, new float[] {1});
  private static final NamedTensor B =
      new NamedTensor("02Linear_bias", new long[] {1}, new float[] {2});
  private static final NamedTensor C =
      new NamedTensor("04Linear_bias", new long[] {1}, new float[] {3});

  @Test
  void restoresTheModelOrderOfNameSortedTensors() {
    Weights model = new Weights(List.of(W, B));
    Weights sorted = new Weights(List.of(B, W));
    assertThat(WeightsOrder.like(sorted, model)).isEqualTo(model);
  }

  @Test
  void missingOrExtraTensorsAreNamed() {
    assertThatThrownBy(
            () -> WeightsOrder.like(new Weights(List.of(B, C)), new Weights(List.of(W, B))))
        .hasMessageContaining("missing [02Linear_weight]")
        .hasMessageContaining("unexpected [04Linear_bias]");
  }
}
