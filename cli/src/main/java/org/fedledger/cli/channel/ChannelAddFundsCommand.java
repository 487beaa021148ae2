package org.fedledger.cli.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.AddFunds;
import org.fedledger.ledger.market.MarketMessages;
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
  @Mixin ClientChannelChange change;

  @Option(names = "--amount", required = true, description = "Tokens to add (at least 1).")
  long amount;

  @Override
  public Integer call() throws Exception {
    Hash id = change.channel(spec);
    if (amount < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--amount must be at least 1 token, got " + amount);
    }
    JsonNode c =
        change.submit(
            change.client(),
            id,
            MarketMessages.ADD_FUNDS,
            AddFunds.newBuilder().setChannelId(id.toByteString()).setAmount(amount).build());
    spec.commandLine()
        .getOut()
        .printf(
            "channel %s: %d added, deposit now %d (%d deposited in all)%n",
            id.toHex(), amount, c.path("deposit").asLong(), c.path("totalDeposited").asLong());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
