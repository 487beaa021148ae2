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
import org.fedledger.core.proto.market.Claim;
import org.fedledger.ledger.market.MarketMessages;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fedledger channel claim ID --voucher FILE}: the provider settles the latest voucher. */
@Command(
    name = "claim",
    mixinStandardHelpOptions = true,
    description = {
      "Claim a voucher (the provider's side): pays its amount at once to the provider, the",
      "model's owner and its contributors. With --reopen the channel stays open under the next",
      "nonce; without, the rest of the deposit returns to the client and the channel closes."
    })
public final class ChannelClaimCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Parameters(index = "0", paramLabel = "CHANNEL_ID", description = "64 hex digits.")
  String channelId;

  @Option(names = "--voucher", required = true, description = "The client's voucher file.")
  Path voucher;

  @Option(names = "--reopen", description = "Keep the channel open under the next nonce.")
  boolean reopen;

  @Option(names = "--key", required = true, description = "The provider's key file.")
  Path key;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait.")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Hash id = Channels.parseId(spec, channelId);
    Claim claim =
        Claim.newBuilder()
            .setChannelId(id.toByteString())
            .setVoucher(VoucherFile.read(voucher))
            .setReopen(reopen)
            .build();
    NodeClient client = node.client();
    JsonNode tx =
        new ChainTx(client, KeyFile.load(key))
            .submitAndWait(
                MarketMessages.MODULE,
                MarketMessages.CLAIM,
                claim,
                Duration.ofSeconds(timeoutSeconds));
    ObjectNode out = NodeClient.JSON.createObjectNode();
    out.put("txHash", tx.path("hash").asText());
    out.set("channel", Channels.fetch(client, id));
    spec.commandLine().getOut().println(NodeClient.pretty(out));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
