package org.fedledger.cli.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.cli.job.ChainTx;
import org.fedledger.ledger.validators.ValidatorsModule;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** What add and remove share: the node, the admin's key, how long to wait, sending the change. */
final class ValidatorChange {
  @Mixin NodeOption node;

  @Option(names = "--key", required = true, description = "The admin's key file.")
  Path adminKey;

  @Option(
      names = "--timeout",
      defaultValue = "60",
      description = "Seconds to wait for the commit, and again with --wait (default: 60).")
  int timeoutSeconds;

  private NodeClient client;

  NodeClient client() {
    if (client == null) {
      client = node.client();
    }
    return client;
  }

  Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }

  /**
   * Sends the admin's validators-module message and waits until it is in a block. A refusal (not
   * the admin, an address in use, an unknown validator ...) comes from the node's admission check:
   * nothing is committed and no nonce is spent.
   *
   * @return the committed transaction as the node reports it
   */
  JsonNode commit(String type, Message message) throws IOException, InterruptedException {
    return new ChainTx(client(), KeyFile.load(adminKey))
        .submitAndWait(ValidatorsModule.NAME, type, message, timeout());
  }

  /**
   * The command's output: the committed transaction's hash and height, then what the caller adds.
   */
  static ObjectNode output(JsonNode committed) {
    ObjectNode out = NodeClient.JSON.createObjectNode();
    out.put("hash", committed.path("hash").asText());
    out.put("height", committed.path("height").asLong());
    return out;
  }

  static void print(CommandSpec spec, ObjectNode out) {
    spec.commandLine().getOut().println(NodeClient.pretty(out));
    spec.commandLine().getOut().flush();
  }
}
