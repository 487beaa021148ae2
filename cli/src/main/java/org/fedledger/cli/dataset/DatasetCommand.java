package org.fedledger.cli.dataset;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fedledger dataset}: a data owner's dataset commands. */
@Command(
    name = "dataset",
    mixinStandardHelpOptions = true,
    description =
        "Propose a dataset schema for your data; register datasets (commitments with consent) on"
            + " the chain; split one among data owners.",
    subcommands = {
      DatasetSchemaCommand.class,
      DatasetRegisterCommand.class,
      DatasetSplitCommand.class,
      DatasetPatientsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class DatasetCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }
}
