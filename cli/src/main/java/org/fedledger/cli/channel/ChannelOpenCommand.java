package org.fedledger.cli.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.cli.job.ChainTx;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.OpenChannel;
import org.fedledger.ledger.market.MarketMessages;
import org.fedledger.ledger.market.MarketModule;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedledger channel open}: a client escrows a deposit for one provider of a model. */
@Command(
    name = "open",
    mixinStandardHelpOptions = true,
    description = {
      "Open a payment channel to a provider of an offered model: the deposit is escrowed until",
      "the expiry height; the provider may claim your vouchers until then, you take back the",
      "rest after it."
    })
public final class ChannelOpenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Option(names = "--model", required = true, description = "The offered model's id.")
  String model;

  @Option(names = "--provider", required = true, description = "One of the offer's providers.")
  String provider;

  @Option(names = "--deposit", required = true, description = "Tokens to escrow (at least 1).")
  long deposit;

  @Option(
      names = "--expiry-blocks",
      required = true,
      description = "Blocks from now until the channel expires (1 to 1,000,000).")
  long expiryBlocks;

  @Option(names = "--key", required = true, description = "The client's key file.")
  Path key;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait.")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    if (expiryBlocks < 1 || expiryBlocks > MarketModule.MAX_CHANNEL_BLOCKS) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--expiry-blocks must be 1 to "
              + MarketModule.MAX_CHANNEL_BLOCKS
              + ", got "
              + expiryBlocks);
    }
    NodeClient client = node.client();
    // Counted from the height now; the transaction commits a block or more later, so the
    // channel lives slightly fewer blocks than asked, never more.
    long height = client.require("/v1/status", "node status").path("height").asLong();
    OpenChannel open =
        OpenChannel.newBuilder()
            .setModelId(model)
            .setProvider(Channels.parseAddress(spec, "--provider", provider).toByteString())
            .setDeposit(deposit)
            .setExpiryHeight(height + expiryBlocks)
            .build();
    JsonNode tx =
        new ChainTx(client, KeyFile.load(key))
            .submitAndWait(
                MarketMessages.MODULE,
                MarketMessages.OPEN_CHANNEL,
                open,
                Duration.ofSeconds(timeoutSeconds));
    Hash id = MarketModule.channelIdOf(Hash.fromHex(tx.path("hash").asText()));
    ObjectNode out = NodeClient.JSON.createObjectNode();
    out.put("channelId", id.toHex());
    out.put("txHash", tx.path("hash").asText());
    out.set("channel", Channels.fetch(client, id));
    spec.commandLine().getOut().println(NodeClient.pretty(out));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
