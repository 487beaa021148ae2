package org.fedledger.cli.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.cli.job.ChainTx;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.Refund;
import org.fedledger.ledger.market.MarketMessages;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fedledger channel close ID}: after expiry, the client takes back the unclaimed rest. */
@Command(
    name = "close",
    mixinStandardHelpOptions = true,
    description =
        "Close an expired channel (the client's side): its unclaimed deposit returns to you.")
public final class ChannelCloseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Parameters(index = "0", paramLabel = "CHANNEL_ID", description = "64 hex digits.")
  String channelId;

  @Option(names = "--key", required = true, description = "The client's key file.")
  Path key;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait.")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Hash id = Channels.parseId(spec, channelId);
    NodeClient client = node.client();
    new ChainTx(client, KeyFile.load(key))
        .submitAndWait(
            MarketMessages.MODULE,
            MarketMessages.REFUND,
            Refund.newBuilder().setChannelId(id.toByteString()).build(),
            Duration.ofSeconds(timeoutSeconds));
    JsonNode c = Channels.fetch(client, id);
    spec.commandLine()
        .getOut()
        .printf(
            "channel %s closed: %d refunded to the client%n",
            id.toHex(), c.path("totalRefunded").asLong());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
