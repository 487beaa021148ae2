package org.fedledger.cli.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.hash.Hash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fedledger channel status ID}: a channel's deposit, nonce, expiry and totals. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show a payment channel: status, deposit, current nonce, expiry and totals.")
public final class ChannelStatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Parameters(index = "0", paramLabel = "CHANNEL_ID", description = "64 hex digits.")
  String channelId;

  @Option(names = "--json", description = "Print the channel record as JSON.")
  boolean json;

  @Override
  public Integer call() {
    Hash id = Channels.parseId(spec, channelId);
    NodeClient client = node.client();
    JsonNode c = Channels.fetch(client, id);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(NodeClient.pretty(c));
    } else {
      long height = client.require("/v1/status", "node status").path("height").asLong();
      long expiry = c.path("expiryHeight").asLong();
      boolean open = c.path("status").asText().equals("CHANNEL_OPEN");
      out.printf("channel   %s%n", id.toHex());
      out.printf("model     %s%n", c.path("modelId").asText());
      out.printf("client    %s%n", c.path("client").asText());
      out.printf("provider  %s%n", c.path("provider").asText());
      out.printf(
          "status    %s%n",
          !open
              ? "closed"
              : height > expiry
                  ? "open, expired (the client may close it for a refund)"
                  : "open, " + (expiry - height) + " blocks to expiry");
      out.printf(
          "deposit   %d (price %d per call)%n",
          c.path("deposit").asLong(), c.path("pricePerCall").asLong());
      out.printf("nonce     %d%n", c.path("nonce").asLong());
      out.printf("expiry    height %d (now %d)%n", expiry, height);
      out.printf(
          "totals    deposited %d, claimed %d, refunded %d%n",
          c.path("totalDeposited").asLong(),
          c.path("totalClaimed").asLong(),
          c.path("totalRefunded").asLong());
    }
    out.flush();
    return 0;
  }
}
