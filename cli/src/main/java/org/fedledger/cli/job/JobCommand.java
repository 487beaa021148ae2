package org.fedledger.cli.job;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fedledger job}: groups the sponsor's and auditor's training-job commands. */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description = "Create, start and inspect federated-learning jobs on the chain.",
    subcommands = {
      JobCreateCommand.class,
      JobJoinCommand.class,
      JobStartCommand.class,
      JobStatusCommand.class,
      CommandLine.HelpCommand.class
    })
public final class JobCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }
}
