package org.fedledger.cli.validator;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fedledger validator}: groups the validator-set commands. */
@Command(
    name = "validator",
    mixinStandardHelpOptions = true,
    description = {
      "List, add and remove validators. A change is the admin's transaction; once it commits, the"
          + " leader adds or removes the validator's Raft peer.",
      "",
      "Grow a network: start the new node (nodeId = its peer id, see `validator add`), then",
      "  fedledger validator add --key net/keys/admin.json --validator-key new/validator-key.json"
          + " --raft-address 127.0.0.1:7807 --wait",
    },
    subcommands = {
      ValidatorListCommand.class,
      ValidatorAddCommand.class,
      ValidatorRemoveCommand.class,
      CommandLine.HelpCommand.class
    })
public final class ValidatorCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: list, add or remove");
  }
}
