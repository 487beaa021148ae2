package org.fedledger.learning.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.DatasetSchemaJson;
import org.fedledger.learning.data.schema.Task;
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

  @Test
  void aRegressionSpecNamesItsTaskAndOutputsInJsonAndRoundTrips() {
    ModelSpec spec = new ModelSpec(ModelType.MLP, new long[] {10}, Task.REGRESSION, 2, List.of(8));
    String json = ModelSpecs.toJson(spec);
    assertThat(json)
        .isEqualTo(
            "{\"type\":\"mlp\",\"inputShape\":[10],\"task\":\"regression\",\"outputs\":2,"
                + "\"hidden\":[8]}");
    assertThat(ModelSpecs.fromJson(json)).isEqualTo(spec);
    assertThat(
            ModelSpecs.fromJson(
                "{\"type\":\"mlp\",\"inputShape\":[4],\"task\":\"classification\","
                    + "\"classes\":3,\"hidden\":[8]}"))
        .isEqualTo(new ModelSpec(ModelType.MLP, new long[] {4}, 3, List.of(8)));
  }

  @Test
  void aRegressionSpecWithClassesOrAClassifierWithOutputsIsRefused() {
    assertThatThrownBy(
            () ->
                ModelSpecs.fromJson(
                    "{\"type\":\"logreg\",\"inputShape\":[4],\"task\":\"regression\","
                        + "\"classes\":2}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("regression has no classes");
    assertThatThrownBy(
            () ->
                ModelSpecs.fromJson(
                    "{\"type\":\"logreg\",\"inputShape\":[4],\"task\":\"regression\"}"))
        .hasMessageContaining("at least 1 output");
    assertThatThrownBy(
            () ->
                ModelSpecs.fromJson(
                    "{\"type\":\"logreg\",\"inputShape\":[4],\"classes\":2,\"outputs\":2}"))
        .hasMessageContaining("remove \"outputs\"");
    assertThatThrownBy(
            () ->
                ModelSpecs.fromJson(
                    "{\"type\":\"logreg\",\"inputShape\":[4],\"task\":\"ranking\","
                        + "\"outputs\":1}"))
        .hasMessageContaining("invalid model spec");
  }

  @Test
  void presetsTakeShapeTaskAndOutputsFromTheDatasetSchema() {
    DatasetSchema table =
        DatasetSchemaJson.parse(
            "{\"format\":\"csv\",\"features\":[{\"name\":\"a\",\"type\":\"numeric\"},"
                + "{\"name\":\"b\",\"type\":\"numeric\"},{\"name\":\"c\",\"type\":\"numeric\"}],"
                + "\"label\":{\"task\":\"regression\",\"columns\":[\"y\"]},\"inputShape\":[3]}");
    ModelSpec linear = ModelSpecs.preset("logreg", table);
    assertThat(linear)
        .isEqualTo(new ModelSpec(ModelType.LOGREG, new long[] {3}, Task.REGRESSION, 1, null));
    assertThat(ModelSpecs.preset("linear", table)).isEqualTo(linear);
    assertThat(ModelSpecs.preset("mlp", table).hidden()).containsExactly(64, 64);
    assertThat(ModelSpecs.preset("mlp:32,16", table).hidden()).containsExactly(32, 16);
    assertThatThrownBy(() -> ModelSpecs.preset("cnn", table))
        .hasMessageContaining("cnn needs an image inputShape");

    DatasetSchema images =
        DatasetSchemaJson.parse(
            "{\"format\":\"images\",\"label\":{\"task\":\"classification\","
                + "\"classes\":[\"cat\",\"dog\"]},\"inputShape\":[3,32,32]}");
    assertThat(ModelSpecs.preset("cnn", images))
        .isEqualTo(new ModelSpec(ModelType.CNN, new long[] {3, 32, 32}, 2, List.of(512)));
    assertThat(ModelSpecs.preset("mlp", images).hidden()).containsExactly(200, 200);
  }

  @Test
  void aSpecThatDoesNotFitTheSchemaIsRefusedWithWhatDiffers() {
    DatasetSchema table =
        DatasetSchemaJson.parse(
            "{\"format\":\"csv\",\"features\":[{\"name\":\"a\",\"type\":\"numeric\"},"
                + "{\"name\":\"b\",\"type\":\"numeric\"}],\"label\":{\"task\":"
                + "\"classification\",\"columns\":[\"y\"],\"classes\":[\"n\",\"y\"]},"
                + "\"inputShape\":[2]}");
    assertThat(
            ModelSpecs.parse(
                "{\"type\":\"mlp\",\"inputShape\":[2],\"classes\":2,\"hidden\":[4]}", table))
        .isEqualTo(new ModelSpec(ModelType.MLP, new long[] {2}, 2, List.of(4)));
    assertThatThrownBy(
            () -> ModelSpecs.parse("{\"type\":\"logreg\",\"inputShape\":[3],\"classes\":2}", table))
        .hasMessageContaining("takes inputShape [3]")
        .hasMessageContaining("samples are [2]");
    assertThatThrownBy(
            () -> ModelSpecs.parse("{\"type\":\"logreg\",\"inputShape\":[2],\"classes\":3}", table))
        .hasMessageContaining("classifier of 3 classes")
        .hasMessageContaining("classifier of 2 classes");
    assertThatThrownBy(() -> ModelSpecs.preset("mlp:64,x", table))
        .hasMessageContaining("must be positive integers");
    assertThatThrownBy(() -> ModelSpecs.preset("logreg:4", table))
        .hasMessageContaining("has no hidden layers");
  }
}
