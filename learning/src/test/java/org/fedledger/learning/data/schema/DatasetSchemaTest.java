package org.fedledger.learning.data.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSchemaTest {
  private static final DatasetSchema TABLE =
      new DatasetSchema(
          DataFormat.CSV,
          List.of(
              FeatureSpec.numeric("age").withMissing(Missing.MEAN),
              FeatureSpec.categorical("sex", List.of("f", "m"))),
          LabelSpec.classification("outcome", List.of("no", "yes")),
          List.of(3),
          null,
          List.of("NA"));

  @Test
  void jsonRoundTripGivesAnEqualSchemaAndTheSameHash(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("schema.json");
    DatasetSchemaJson.write(TABLE, file);
    DatasetSchema back = DatasetSchemaJson.read(file);
    assertThat(back).isEqualTo(TABLE);
    assertThat(back.hash()).isEqualTo(TABLE.hash());
  }

  @Test
  void canonicalJsonSortsKeysAtEveryLevelWithoutWhitespace() {
    String canonical =
        new String(DatasetSchemaJson.canonical(TABLE), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(canonical)
        .isEqualTo(
            "{\"features\":[{\"missing\":{\"rule\":\"mean\"},\"name\":\"age\",\"type\":\"numeric\"},"
                + "{\"categories\":[\"f\",\"m\"],\"missing\":{\"rule\":\"refuse\"},\"name\":\"sex\","
                + "\"type\":\"categorical\"}],\"format\":\"csv\",\"inputShape\":[3],"
                + "\"label\":{\"classes\":[\"no\",\"yes\"],\"columns\":[\"outcome\"],"
                + "\"task\":\"classification\"},\"missingMarkers\":[\"NA\"]}");
  }

  @Test
  void hashIgnoresKeyOrderAndSpacingAndOmittedDefaultsButNotContent() {
    String reordered =
        "{ \"inputShape\":[3], \"format\":\"csv\", \"missingMarkers\":[\"NA\"],"
            + " \"label\":{\"task\":\"classification\",\"classes\":[\"no\",\"yes\"],"
            + "\"columns\":[\"outcome\"]},"
            + " \"features\":[{\"type\":\"numeric\",\"name\":\"age\",\"missing\":{\"rule\":\"mean\"}},"
            + " {\"name\":\"sex\",\"type\":\"categorical\",\"categories\":[\"f\",\"m\"]}]}";
    assertThat(DatasetSchemaJson.parse(reordered).hash()).isEqualTo(TABLE.hash());
    DatasetSchema otherClassOrder =
        new DatasetSchema(
            TABLE.format(),
            TABLE.features(),
            LabelSpec.classification("outcome", List.of("yes", "no")),
            TABLE.inputShape(),
            null,
            TABLE.missingMarkers());
    assertThat(otherClassOrder.hash()).isNotEqualTo(TABLE.hash());
  }

  @Test
  void imageSchemaDefaultsToRefusingResizeAndNeedsThreeDimensions() {
    DatasetSchema images =
        DatasetSchemaJson.parse(
            "{\"format\":\"images\",\"label\":{\"task\":\"classification\",\"classes\":[\"cat\",\"dog\"]},"
                + "\"inputShape\":[3,32,32]}");
    assertThat(images.images().resize()).isFalse();
    assertThat(images.sampleShape()).containsExactly(3, 32, 32);
    assertThat(images.outputCount()).isEqualTo(2);
    assertThatThrownBy(
            () ->
                DatasetSchemaJson.parse(
                    "{\"format\":\"images\",\"label\":{\"task\":\"classification\",\"classes\":[\"a\",\"b\"]},"
                        + "\"inputShape\":[32,32]}"))
        .hasMessageContaining("[channels,height,width]");
  }

  @Test
  void regressionSchemaNamesItsOutputColumns() {
    DatasetSchema reg =
        new DatasetSchema(
            DataFormat.CSV,
            List.of(FeatureSpec.numeric("x")),
            LabelSpec.regression(List.of("y1", "y2")),
            List.of(1),
            null,
            null);
    assertThat(reg.task()).isEqualTo(Task.REGRESSION);
    assertThat(reg.outputCount()).isEqualTo(2);
    assertThat(DatasetSchemaJson.parse(DatasetSchemaJson.toJson(reg))).isEqualTo(reg);
  }

  @Test
  void invalidSchemasAreRefusedWithWhatIsWrong() {
    assertThatThrownBy(() -> DatasetSchemaJson.parse("{\"format\":\"csv\""))
        .hasMessageContaining("invalid dataset schema JSON");
    assertThatThrownBy(() -> DatasetSchemaJson.parse("{\"format\":\"parquet\"}"))
        .hasMessageContaining("parquet");
    assertThatThrownBy(
            () ->
                DatasetSchemaJson.parse(
                    "{\"format\":\"csv\",\"colour\":1,\"label\":{\"task\":\"regression\",\"columns\":[\"y\"]},"
                        + "\"features\":[{\"name\":\"x\",\"type\":\"numeric\"}],\"inputShape\":[1]}"))
        .hasMessageContaining("colour");
    String wrongWidth =
        "{\"format\":\"csv\",\"label\":{\"task\":\"regression\",\"columns\":[\"y\"]},"
            + "\"features\":[{\"name\":\"x\",\"type\":\"numeric\"}],\"inputShape\":[2]}";
    assertThatThrownBy(() -> DatasetSchemaJson.parse(wrongWidth))
        .hasMessageContaining("inputShape must be [1]");
    assertThatThrownBy(
            () ->
                new DatasetSchema(
                    DataFormat.CSV,
                    List.of(FeatureSpec.numeric("y")),
                    LabelSpec.regression(List.of("y")),
                    List.of(1),
                    null,
                    null))
        .hasMessageContaining("appears twice");
    assertThatThrownBy(() -> FeatureSpec.categorical("c", List.of("a", "a")))
        .hasMessageContaining("repeated category");
    assertThatThrownBy(() -> FeatureSpec.categorical("c", List.of("a")).withMissing(Missing.MEAN))
        .hasMessageContaining("cannot fill missing values with a mean");
    assertThatThrownBy(
            () -> FeatureSpec.categorical("c", List.of("a")).withMissing(Missing.constant("b")))
        .hasMessageContaining("not one of its categories");
    assertThatThrownBy(() -> FeatureSpec.numeric("n").withMissing(Missing.constant("x")))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> LabelSpec.classification("y", List.of("only")))
        .hasMessageContaining("at least 2 class names");
    assertThatThrownBy(
            () ->
                new DatasetSchema(
                    DataFormat.IDX,
                    List.of(),
                    LabelSpec.regression(List.of("y")),
                    List.of(1, 28, 28),
                    null,
                    null))
        .hasMessageContaining("must be classification");
  }
}
