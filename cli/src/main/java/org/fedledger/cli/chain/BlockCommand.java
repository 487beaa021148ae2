package org.fedledger.cli.chain;

import java.util.concurrent.Callable;
import org.fedledger.cli.client.NodeClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "block",
    mixinStandardHelpOptions = true,
    description = "Print a block by height, by hash (64 hex digits), or 'latest'.")
public final class BlockCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Parameters(index = "0", paramLabel = "HEIGHT|HASH|latest", defaultValue = "latest")
  String id;

  @Override
  public Integer call() {
    String path;
    if (id.equals("latest")) {
      path = "/v1/blocks/latest";
    } else if (id.matches("\\d{1,19}")) {
      path = "/v1/blocks/" + id;
    } else if (id.matches("(0x)?[0-9a-fA-F]{64}")) {
      path = "/v1/blocks/hash/" + id.replaceFirst("^0x", "");
    } else {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "'" + id + "' is neither a block height, a 64-hex-digit block hash nor 'latest'");
    }
    spec.commandLine()
        .getOut()
        .println(NodeClient.pretty(node.client().require(path, "block " + id)));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
