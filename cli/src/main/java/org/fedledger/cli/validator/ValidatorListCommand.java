package org.fedledger.cli.validator;

import java.util.concurrent.Callable;
import org.fedledger.cli.chain.NodeOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Print the chain's validators, each with the Raft peer it is (null while it is not in the"
          + " group yet), and the Raft group's members as the node sees them.",
      "inSync is true when every validator is a member and every member a validator."
    })
public final class ValidatorListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Override
  public Integer call() {
    ValidatorChange.print(spec, NetworkView.read(node.client()).toJson());
    return 0;
  }
}
