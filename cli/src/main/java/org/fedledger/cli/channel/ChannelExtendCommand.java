package org.fedledger.cli.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.ExtendChannel;
import org.fedledger.ledger.market.MarketMessages;
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
  @Mixin ClientChannelChange change;

  @Option(
      names = "--expiry-height",
      required = true,
      description = "The new expiry: after the current one, at most 1,000,000 blocks ahead.")
  long expiryHeight;

  @Override
  public Integer call() throws Exception {
    Hash id = change.channel(spec);
    if (expiryHeight < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--expiry-height must be a block height, got " + expiryHeight);
    }
    NodeClient client = change.client();
    long before = Channels.fetch(client, id).path("expiryHeight").asLong();
    JsonNode c =
        change.submit(
            client,
            id,
            MarketMessages.EXTEND_CHANNEL,
            ExtendChannel.newBuilder()
                .setChannelId(id.toByteString())
                .setExpiryHeight(expiryHeight)
                .build());
    spec.commandLine()
        .getOut()
        .printf(
            "channel %s: expiry moved from height %d to %d%n",
            id.toHex(), before, c.path("expiryHeight").asLong());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
