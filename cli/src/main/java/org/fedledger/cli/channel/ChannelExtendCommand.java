package org.fedledger.cli.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.cli.job.ChainTx;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.ExtendChannel;
import org.fedledger.ledger.market.MarketMessages;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedledger channel extend}: the client moves an open channel's expiry later. */
@Command(
    name = "extend",
    mixinStandardHelpOptions = true,
    description = {
      "Move an open channel's expiry to a later height (the client's side): the provider keeps",
      "taking and claiming its vouchers until then, and the refund waits until after it."
    })
public final class ChannelExtendCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Option(names = "--channel", required = true, description = "The channel id, 64 hex digits.")
  String channelId;

  @Option(
      names = "--expiry-height",
      required = true,
      description = "The new expiry: after the current one, at most 1,000,000 blocks ahead.")
  long expiryHeight;

  @Option(names = "--key", required = true, description = "The channel's client key file.")
  Path key;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait.")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Hash id = Channels.parseId(spec, channelId);
    if (expiryHeight < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--expiry-height must be a block height, got " + expiryHeight);
    }
    NodeClient client = node.client();
    long before = Channels.fetch(client, id).path("expiryHeight").asLong();
    new ChainTx(client, KeyFile.load(key))
        .submitAndWait(
            MarketMessages.MODULE,
            MarketMessages.EXTEND_CHANNEL,
            ExtendChannel.newBuilder()
                .setChannelId(id.toByteString())
                .setExpiryHeight(expiryHeight)
                .build(),
            Duration.ofSeconds(timeoutSeconds));
    JsonNode c = Channels.fetch(client, id);
    spec.commandLine()
        .getOut()
        .printf(
            "channel %s: expiry moved from height %d to %d%n",
            id.toHex(), before, c.path("expiryHeight").asLong());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
