package org.fedledger.cli.channel;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fedledger channel}: groups the payment-channel commands. */
@Command(
    name = "channel",
    mixinStandardHelpOptions = true,
    description = "Open, inspect, pay through, claim and close payment channels for model calls.",
    subcommands = {
      ChannelOpenCommand.class,
      ChannelStatusCommand.class,
      ChannelAddFundsCommand.class,
      ChannelExtendCommand.class,
      ChannelVoucherCommand.class,
      ChannelClaimCommand.class,
      ChannelCloseCommand.class,
      CommandLine.HelpCommand.class
    })
public final class ChannelCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }
}
