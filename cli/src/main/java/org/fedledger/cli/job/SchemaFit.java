package org.fedledger.cli.job;

import java.io.IOException;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.Task;
import org.fedledger.learning.model.ModelSpec;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Checks, before anything is signed, that a job's model can take the samples its dataset schema
 * describes: the same number of inputs and as many outputs as the schema has classes.
 */
final class SchemaFit {
  private SchemaFit() {}

  /**
   * Loads the schema ({@code fashion-mnist} or a file) and checks the model against it.
   *
   * @throws CommandLine.ParameterException if the schema cannot be read or the model does not fit
   */
  static DatasetSchema check(CommandSpec command, String fileOrName, ModelSpec model) {
    DatasetSchema schema;
    try {
      schema = Datasets.schema(fileOrName);
    } catch (IOException | IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          command.commandLine(), "--schema: " + e.getMessage(), e);
    }
    long inputs = 1;
    for (int d : schema.inputShape()) {
      inputs *= d;
    }
    if (model.inputSize() != inputs || model.classes() != schema.outputCount()) {
      throw new CommandLine.ParameterException(
          command.commandLine(),
          "--model takes "
              + model.inputSize()
              + " inputs and has "
              + model.classes()
              + " outputs, but the schema's samples have "
              + inputs
              + " values "
              + schema.inputShape()
              + " and "
              + schema.outputCount()
              + " "
              + (schema.task() == Task.REGRESSION ? "targets" : "classes")
              + "; give a model spec file with inputShape "
              + schema.inputShape()
              + " and that many outputs");
    }
    return schema;
  }
}
