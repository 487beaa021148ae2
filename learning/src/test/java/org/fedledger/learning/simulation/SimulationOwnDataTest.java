package org.fedledger.learning.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.DatasetSchemaJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Simulations on a user's own CSV table, for both tasks. */
class SimulationOwnDataTest {
  @TempDir Path dir;

  private static final String FEATURES =
      "\"features\":[{\"name\":\"a\",\"type\":\"numeric\"},{\"name\":\"b\",\"type\":\"numeric\"}],";

  /** 300 rows of a,b and two answers: the class sign(a + b) and the value 3a − 2b + 1. */
  private Path table() throws IOException {
    SplittableRandom random = new SplittableRandom(3);
    StringBuilder csv = new StringBuilder("a,b,label,value\n");
    for (int i = 0; i < 300; i++) {
      double a = random.nextDouble() * 4 - 2;
      double b = random.nextDouble() * 4 - 2;
      csv.append(
          String.format(
              java.util.Locale.ROOT,
              "%.4f,%.4f,%s,%.4f%n",
              a,
              b,
              a + b > 0 ? "yes" : "no",
              3 * a - 2 * b + 1));
    }
    Path file = dir.resolve("table.csv");
    Files.writeString(file, csv);
    return file;
  }

  private static SimulationConfig.Builder config(Path data, DatasetSchema schema) {
    return SimulationConfig.builder()
        .clients(4)
        .rounds(5)
        .model("logreg")
        .batchSize(16)
        .learningRate(0.1)
        .localEpochs(2)
        .threads(1)
        .seed(5)
        .dataDir(Optional.of(data))
        .schema(Optional.of(schema));
  }

  @Test
  void aClassifierOnATableReportsAccuracyMacroF1AndAuc() throws IOException {
    Path data = table();
    // The other answer column is not a feature: the schema names only a and b.
    DatasetSchema schema =
        DatasetSchemaJson.parse(
            "{\"format\":\"csv\","
                + FEATURES
                + "\"label\":{\"task\":\"classification\",\"columns\":[\"label\"],"
                + "\"classes\":[\"no\",\"yes\"]},\"inputShape\":[2]}");
    SimulationSummary s =
        new SimulationRunner(config(data, schema).build()).run(SimulationListener.NONE);
    assertThat(s.finalMetrics()).containsOnlyKeys("accuracy", "macro_f1", "auc");
    assertThat(s.finalMetrics().get("accuracy")).isEqualTo(s.finalAccuracy()).isGreaterThan(0.9);
    assertThat(s.finalMetrics().get("auc")).isGreaterThan(0.95);
    assertThat(s.rounds()).allSatisfy(r -> assertThat(r.metrics()).containsKey("macro_f1"));
  }

  @Test
  void aRegressionOnATableReportsRmseMaeAndR2AndNoAccuracy() throws IOException {
    Path data = table();
    DatasetSchema schema =
        DatasetSchemaJson.parse(
            "{\"format\":\"csv\","
                + FEATURES
                + "\"label\":{\"task\":\"regression\",\"columns\":[\"value\"]},"
                + "\"inputShape\":[2]}");
    SimulationSummary s =
        new SimulationRunner(config(data, schema).partition("dirichlet:0.5").build())
            .run(SimulationListener.NONE);
    assertThat(s.finalMetrics()).containsOnlyKeys("rmse", "mae", "r2");
    assertThat(s.finalMetrics().get("r2")).isGreaterThan(0.95);
    assertThat(s.finalAccuracy()).isNaN();
  }

  @Test
  void aModelSpecThatDoesNotFitTheSchemaIsRefusedBeforeAnyData() throws IOException {
    DatasetSchema schema =
        DatasetSchemaJson.parse(
            "{\"format\":\"csv\","
                + FEATURES
                + "\"label\":{\"task\":\"regression\",\"columns\":[\"value\"]},"
                + "\"inputShape\":[2]}");
    SimulationConfig config = config(table(), schema).model("cnn").build();
    assertThatThrownBy(() -> SimulationRunner.validate(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cnn needs an image inputShape");
  }

  @Test
  void regressionSamplesArePartitionedByTheDecileOfTheirTarget() {
    float[] targets = new float[20];
    for (int i = 0; i < 20; i++) {
      targets[i] = 100 - i; // descending, so rank and index run opposite ways
    }
    LabeledData data = LabeledData.regression(new float[20], new int[] {1}, targets, 1);
    int[] bins = FederatedData.partitionLabels(data);
    assertThat(bins[19]).isZero();
    assertThat(bins[0]).isEqualTo(9);
    assertThat(Arrays.stream(bins).distinct().count()).isEqualTo(10);
  }

  @Test
  void aTableIsStandardizedWithTheClientsCombinedStatistics() throws IOException {
    DatasetSchema schema =
        DatasetSchemaJson.parse(
            "{\"format\":\"csv\","
                + FEATURES
                + "\"label\":{\"task\":\"regression\",\"columns\":[\"value\"]},"
                + "\"inputShape\":[2]}");
    SimulationConfig config = config(table(), schema).partition("dirichlet:0.3").build();
    FederatedData data =
        FederatedData.of(config, OwnData.load(config.dataDir().get(), schema, config.seed()));
    // The standardized training set has mean 0 and standard deviation 1 in every feature.
    for (int j = 0; j < 2; j++) {
      double sum = 0;
      double squares = 0;
      for (int i = 0; i < data.train().size(); i++) {
        double v = data.train().features(i)[j];
        sum += v;
        squares += v * v;
      }
      int n = data.train().size();
      assertThat(sum / n).isCloseTo(0, within(1e-4));
      assertThat(Math.sqrt(squares / n)).isCloseTo(1, within(1e-4));
    }
  }
}
