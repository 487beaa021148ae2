package org.fedledger.learning.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecsTest {
  @Test
  void presetsDescribeFashionMnistModels() {
    assertThat(ModelSpecs.preset("cnn"))
        .isEqualTo(new ModelSpec(ModelType.CNN, new long[] {1, 28, 28}, 10, List.of(512)));
    assertThat(ModelSpecs.preset(" MLP ").hidden()).containsExactly(200, 200);
    assertThat(ModelSpecs.preset("logreg").type()).isEqualTo(ModelType.LOGREG);
  }

  @Test
  void jsonRoundTrips() {
    for (String name : ModelSpecs.PRESETS) {
      ModelSpec spec = ModelSpecs.preset(name);
      String json = ModelSpecs.toJson(spec);
      assertThat(ModelSpecs.fromJson(json)).isEqualTo(spec);
      assertThat(ModelSpecs.parse(json)).isEqualTo(spec);
    }
    assertThat(ModelSpecs.toJson(ModelSpecs.preset("mlp")))
        .isEqualTo(
            "{\"type\":\"mlp\",\"inputShape\":[1,28,28],\"classes\":10,\"hidden\":[200,200]}");
  }

  @Test
  void tabularSpecFromJson() {
    ModelSpec spec =
        ModelSpecs.fromJson("{\"type\":\"mlp\",\"inputShape\":[13],\"classes\":3,\"hidden\":[16]}");
    assertThat(spec.inputSize()).isEqualTo(13);
  }

  @Test
  void unknownNamesAndBadSpecsFailClearly() {
    assertThatThrownBy(() -> ModelSpecs.preset("resnet"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown model preset 'resnet'");
    assertThatThrownBy(
            () -> ModelSpecs.fromJson("{\"type\":\"rnn\",\"inputShape\":[4],\"classes\":2}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown model type 'rnn'");
    assertThatThrownBy(
            () -> ModelSpecs.fromJson("{\"type\":\"mlp\",\"inputShape\":[4],\"classes\":1}"))
        .hasMessageContaining("at least 2 classes");
    assertThatThrownBy(
            () -> ModelSpecs.fromJson("{\"type\":\"cnn\",\"inputShape\":[784],\"classes\":10}"))
        .hasMessageContaining("cnn needs an image inputShape");
    assertThatThrownBy(
            () ->
                ModelSpecs.fromJson(
                    "{\"type\":\"mlp\",\"inputShape\":[4],\"classes\":2,\"colour\":\"red\"}"))
        .hasMessageContaining("invalid model spec");
    assertThatThrownBy(() -> ModelSpecs.fromJson("{not json")).hasMessageContaining("JSON");
  }
}
