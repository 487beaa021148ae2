package org.fedledger.cli.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.cli.job.ChainTx;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.AddFunds;
import org.fedledger.ledger.market.MarketMessages;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedledger channel add-funds}: the client escrows more tokens in an open channel. */
@Command(
    name = "add-funds",
    mixinStandardHelpOptions = true,
    description = {
      "Add tokens to an open channel's deposit (the client's side), so that it pays for more",
      "calls; its expiry stays."
    })
public final class ChannelAddFundsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Option(names = "--channel", required = true, description = "The channel id, 64 hex digits.")
  String channelId;

  @Option(names = "--amount", required = true, description = "Tokens to add (at least 1).")
  long amount;

  @Option(names = "--key", required = true, description = "The channel's client key file.")
  Path key;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait.")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Hash id = Channels.parseId(spec, channelId);
    if (amount < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--amount must be at least 1 token, got " + amount);
    }
    NodeClient client = node.client();
    new ChainTx(client, KeyFile.load(key))
        .submitAndWait(
            MarketMessages.MODULE,
            MarketMessages.ADD_FUNDS,
            AddFunds.newBuilder().setChannelId(id.toByteString()).setAmount(amount).build(),
            Duration.ofSeconds(timeoutSeconds));
    JsonNode c = Channels.fetch(client, id);
    spec.commandLine()
        .getOut()
        .printf(
            "channel %s: %d added, deposit now %d (%d deposited in all)%n",
            id.toHex(), amount, c.path("deposit").asLong(), c.path("totalDeposited").asLong());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
