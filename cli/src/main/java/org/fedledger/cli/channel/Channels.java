package org.fedledger.cli.channel;

import com.fasterxml.jackson.databind.JsonNode;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** What the channel commands share: parsing ids and addresses, reading a channel from the node. */
final class Channels {
  private Channels() {}

  static Hash parseId(CommandSpec spec, String text) {
    try {
      return Hash.fromHex(text.startsWith("0x") ? text.substring(2) : text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "CHANNEL_ID must be 64 hex digits, got '" + text + "'");
    }
  }

  static Address parseAddress(CommandSpec spec, String option, String text) {
    try {
      return Address.fromHex(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), option + " must be an address of 40 hex digits, got '" + text + "'");
    }
  }

  /** The channel as the node's API shows it; a failure naming the id if there is none. */
  static JsonNode fetch(NodeClient client, Hash id) {
    return client
        .get("/v1/market/channels/" + id.toHex())
        .orElseThrow(
            () -> new CommandFailedException("no channel " + id.toHex() + " on the chain"));
  }
}
