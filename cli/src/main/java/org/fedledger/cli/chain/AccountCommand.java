package org.fedledger.cli.chain;

import java.util.concurrent.Callable;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.address.Address;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "account",
    mixinStandardHelpOptions = true,
    description = "Print an account's balance and nonce.")
public final class AccountCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Parameters(index = "0", paramLabel = "ADDRESS", description = "40 hex digits.")
  String address;

  @Override
  public Integer call() {
    Address parsed;
    try {
      parsed = Address.fromHex(address);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    spec.commandLine()
        .getOut()
        .println(
            NodeClient.pretty(
                node.client().require("/v1/accounts/" + parsed.toHex(), "account " + address)));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
