package org.fedledger.cli.chain;

import org.fedledger.cli.client.NodeClient;
import picocli.CommandLine.Option;

/** The {@code --node URL} option every chain command shares. */
public final class NodeOption {
  @Option(
      names = "--node",
      defaultValue = "${FEDLEDGER_NODE:-http://127.0.0.1:7700}",
      description = "Node API URL (default: $FEDLEDGER_NODE or http://127.0.0.1:7700).")
  String url;

  public NodeClient client() {
    return new NodeClient(url);
  }
}
