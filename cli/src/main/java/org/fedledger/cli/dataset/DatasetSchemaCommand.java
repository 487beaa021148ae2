package org.fedledger.cli.dataset;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedledger.learning.data.SchemaInference;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.DatasetSchemaJson;
import org.fedledger.learning.data.schema.FeatureSpec;
import org.fedledger.learning.data.schema.FeatureType;
import org.fedledger.learning.data.schema.Task;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger dataset schema}: proposes a dataset schema for a CSV file, an image folder or an
 * IDX folder ({@link SchemaInference}) for the user to review, edit and share with the job's other
 * members.
 */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Propose a dataset schema (JSON) for your data: features and their types, categorical"
          + " vocabularies, missing-value rules, the label and task, the input shape.",
      "Review and edit it, then share it: every owner of a job reads its data under the same"
          + " schema, and the chain records the schema's hash.",
      "",
      "Examples:",
      "  fedledger dataset schema --data patients.csv --label outcome --out schema.json",
      "  fedledger dataset schema --data houses.csv --label price --task regression --out s.json",
      "  fedledger dataset schema --data photos/ --out schema.json     # photos/CLASS/*.png|jpg"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written", "1:the data cannot be read", "2:invalid options"})
public final class DatasetSchemaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "FILE|DIR",
      description =
          "A CSV file with a header, a folder with one sub-folder of PNG/JPEG images per class,"
              + " or a folder of IDX files.")
  Path data;

  @Option(
      names = "--label",
      split = ",",
      paramLabel = "COLUMN",
      description =
          "A CSV file's label column (several, comma-separated, for a regression with several"
              + " outputs). Not used for folders.")
  List<String> label = new ArrayList<>();

  @Option(
      names = "--task",
      paramLabel = "TASK",
      description =
          "classification or regression; default: regression for several label columns or a"
              + " label with fractions, else classification.")
  String task;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write the schema; default: print it.")
  Path out;

  @Option(names = "--force", description = "Replace --out if it exists.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    Optional<Task> chosen;
    try {
      chosen = task == null ? Optional.empty() : Optional.of(Task.parse(task));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--task: " + e.getMessage(), e);
    }
    if (!Files.isDirectory(data) && label.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--label COLUMN is required for a CSV file: name its label column");
    }
    if (out != null && Files.exists(out) && !force) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), out + " exists; give another --out or add --force");
    }
    DatasetSchema schema = SchemaInference.infer(data, label, chosen);
    PrintWriter stdout = spec.commandLine().getOut();
    if (out == null) {
      stdout.println(DatasetSchemaJson.toJson(schema));
    } else {
      DatasetSchemaJson.write(schema, out);
      stdout.println("wrote " + out + ": " + summary(schema));
      stdout.println("schema hash " + schema.hash().toHex());
      stdout.println(
          "Review it (types, vocabularies, classes, missing-value rules, shape) and give the same"
              + " file to every owner of the job.");
    }
    stdout.flush();
    return 0;
  }

  static String summary(DatasetSchema schema) {
    StringBuilder b = new StringBuilder(schema.format().jsonName());
    if (!schema.features().isEmpty()) {
      long categorical =
          schema.features().stream().filter(f -> f.type() == FeatureType.CATEGORICAL).count();
      b.append(", ").append(schema.features().size()).append(" features (");
      b.append(categorical).append(" categorical");
      long filled =
          schema.features().stream()
              .map(FeatureSpec::missing)
              .filter(m -> m.rule() != org.fedledger.learning.data.schema.MissingRule.REFUSE)
              .count();
      b.append(", ").append(filled).append(" with missing values filled)");
    }
    if (schema.task() == Task.CLASSIFICATION) {
      b.append(", classification into ").append(schema.outputCount()).append(" classes");
    } else {
      b.append(", regression of ").append(schema.label().columns());
    }
    return b.append(", input shape ").append(schema.inputShape()).toString();
  }
}
