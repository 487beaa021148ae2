package org.fedledger.cli.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.market.Vouchers;
import org.fedledger.core.proto.market.SignedVoucher;
import org.fedledger.core.proto.market.Voucher;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger channel voucher ID --amount N}: the client signs a voucher for the cumulative
 * amount it owes under the channel's current nonce, and writes it to a file for the provider.
 */
@Command(
    name = "voucher",
    mixinStandardHelpOptions = true,
    description = {
      "Sign a voucher (the client's side): the cumulative amount owed to the provider under the",
      "channel's current nonce. Give the file to the provider, who claims it."
    })
public final class ChannelVoucherCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Parameters(index = "0", paramLabel = "CHANNEL_ID", description = "64 hex digits.")
  String channelId;

  @Option(
      names = "--amount",
      required = true,
      description = "Cumulative tokens owed under this nonce (calls so far × price).")
  long amount;

  @Option(names = "--key", required = true, description = "The client's key file.")
  Path key;

  @Option(names = "--out", required = true, description = "Where to write the voucher file.")
  Path outFile;

  @Override
  public Integer call() throws Exception {
    Hash id = Channels.parseId(spec, channelId);
    NodeClient client = node.client();
    JsonNode channel = Channels.fetch(client, id);
    Ed25519KeyPair signer = KeyFile.load(key);
    String clientKey = channel.path("clientPublicKey").asText();
    if (!clientKey.equals(signer.publicKey().toHex())) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--key is not the channel's client key ("
              + clientKey
              + "): the provider could not claim this voucher");
    }
    if (amount < 1 || amount > channel.path("deposit").asLong()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--amount must be 1 to the channel's deposit " + channel.path("deposit").asLong());
    }
    String chainId = client.require("/v1/status", "node status").path("chainId").asText();
    SignedVoucher signed =
        Vouchers.sign(
            signer,
            Voucher.newBuilder()
                .setChainId(chainId)
                .setChannelId(id.toByteString())
                .setNonce(channel.path("nonce").asLong())
                .setAmount(amount)
                .build());
    VoucherFile.write(outFile, signed);
    spec.commandLine()
        .getOut()
        .printf(
            "voucher for %d under nonce %d of channel %s written to %s%n",
            amount, channel.path("nonce").asLong(), id.toHex(), outFile);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
