package org.fedledger.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.learning.data.schema.Task;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code job create --schema FILE --model preset|spec.json}: the job's model from the schema. */
class JobCreateModelTest {
  @TempDir Path dir;

  private static final String REQUIRED =
      "--key k --blobs http://127.0.0.1:1 --rounds 1 --participants-per-round 1 --reward 1"
          + " --round-blocks 1 --required-use x";

  private Path schema() throws Exception {
    Path file = dir.resolve("schema.json");
    Files.writeString(
        file,
        "{\"format\":\"csv\",\"features\":[{\"name\":\"a\",\"type\":\"numeric\"},"
            + "{\"name\":\"b\",\"type\":\"numeric\"},{\"name\":\"c\",\"type\":\"numeric\"}],"
            + "\"label\":{\"task\":\"regression\",\"columns\":[\"y\"]},\"inputShape\":[3]}");
    return file;
  }

  private ModelSpec modelOf(String... extra) throws Exception {
    JobCreateCommand command = new JobCreateCommand();
    List<String> args = new ArrayList<>(List.of(REQUIRED.split(" ")));
    args.addAll(List.of(extra));
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return command.modelSpec();
  }

  @Test
  void aPresetTakesItsShapeAndOutputsFromTheSchema() throws Exception {
    Path schema = schema();
    assertThat(modelOf("--model", "linear", "--schema", schema.toString()))
        .isEqualTo(new ModelSpec(ModelType.LOGREG, new long[] {3}, Task.REGRESSION, 1, null));
    assertThat(modelOf("--model", "mlp:8", "--schema", schema.toString()).hidden())
        .containsExactly(8);
    assertThat(modelOf("--model", "mlp").inputShape()).containsExactly(1, 28, 28);
  }

  @Test
  void aSpecFileIsCheckedAgainstTheSchema() throws Exception {
    Path schema = schema();
    Path good = dir.resolve("good.json");
    Files.writeString(
        good,
        "{\"type\":\"mlp\",\"inputShape\":[3],\"task\":\"regression\",\"outputs\":1,"
            + "\"hidden\":[4]}");
    assertThat(modelOf("--model", good.toString(), "--schema", schema.toString()).hidden())
        .containsExactly(4);
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"type\":\"logreg\",\"inputShape\":[3],\"classes\":2}");
    assertThatThrownBy(() -> modelOf("--model", bad.toString(), "--schema", schema.toString()))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("classifier of 2 classes")
        .hasMessageContaining("regression of 1 output");
  }

  @Test
  void anUnknownPresetOrMissingSchemaIsAnOptionError() throws Exception {
    assertThatThrownBy(() -> modelOf("--model", "resnet"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("unknown model preset 'resnet'")
        .hasMessageContaining("not a file either");
    assertThatThrownBy(
            () -> modelOf("--model", "logreg", "--schema", dir.resolve("none.json").toString()))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> modelOf("--model", "cnn", "--schema", schema().toString()))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("cnn needs an image inputShape");
  }
}
