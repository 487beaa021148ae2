package org.fedledger.cli.model;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fedledger model}: an auditor's and a user's commands on registered models. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description =
        "Verify a model's lineage by re-execution, export its weights, offer it, or call it.",
    subcommands = {
      ModelVerifyCommand.class,
      ModelExportCommand.class,
      ModelOfferCommand.class,
      ModelPredictCommand.class,
      CommandLine.HelpCommand.class
    })
public final class ModelCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }
}
