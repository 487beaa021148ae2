package org.fedledger.cli.chain;

import java.util.concurrent.Callable;
import org.fedledger.cli.client.NodeClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "tx",
    mixinStandardHelpOptions = true,
    description = {
      "Print a committed transaction with its receipt and height, or send one.",
      "  fedledger tx HASH              show a transaction",
      "  fedledger tx transfer ...      send tokens"
    },
    subcommands = {TransferCommand.class})
public final class TxCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "HASH",
      description = "Transaction hash, 64 hex digits.")
  String hash;

  @Override
  public Integer call() {
    if (hash == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give a transaction HASH or a subcommand (transfer)");
    }
    String hex = hash.replaceFirst("^0x", "");
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "'" + hash + "' is not a transaction hash (64 hex digits)");
    }
    spec.commandLine()
        .getOut()
        .println(
            NodeClient.pretty(
                node.client().require("/v1/transactions/" + hex, "transaction " + hash)));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
