package org.fedledger.cli.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;
import java.nio.file.Path;
import java.time.Duration;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.cli.job.ChainTx;
import org.fedledger.core.hash.Hash;
import org.fedledger.ledger.market.MarketMessages;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options and the submission shared by a client's changes to its own open channel ({@code
 * channel add-funds}, {@code channel extend}): which channel, the client's key, how long to wait.
 */
public final class ClientChannelChange {
  @Mixin NodeOption node;

  @Option(names = "--channel", required = true, description = "The channel id, 64 hex digits.")
  String channelId;

  @Option(names = "--key", required = true, description = "The channel's client key file.")
  Path key;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait.")
  int timeoutSeconds;

  /** The channel id, or a ParameterException naming what is wrong with it. */
  Hash channel(CommandSpec spec) {
    return Channels.parseId(spec, channelId);
  }

  NodeClient client() {
    return node.client();
  }

  /** Signs the market message with the client's key, waits for its block, returns the channel. */
  JsonNode submit(NodeClient client, Hash channel, String message, Message payload)
      throws Exception {
    new ChainTx(client, KeyFile.load(key))
        .submitAndWait(MarketMessages.MODULE, message, payload, Duration.ofSeconds(timeoutSeconds));
    return Channels.fetch(client, channel);
  }
}
