package org.fedledger.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.channel.ChannelPayer;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger model predict}: one call to a provider's predict endpoint, paid by a voucher of
 * the client's channel (signed here, its count kept in a state file) or, without a channel, signed
 * by the model's owner. Prints the predictions and the provider's receipt, checked.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Ask a provider node for predictions of a served model. With --channel the call is paid:",
      "a voucher for the channel's next cumulative amount is signed with --key (the channel's",
      "client) and counted in a state file per channel, so that calls continue the sequence.",
      "Without --channel, --key must be the model owner's, who calls unpaid."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:answered, with a valid receipt",
      "1:refused by the provider (payment, channel, state file) or the receipt does not verify",
      "2:bad input: the command line, the input file, or rows that do not fit the model"
    })
public final class ModelPredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Option(names = "--model", required = true, description = "Model id (its job id in hex).")
  String model;

  @Option(names = "--channel", description = "A payment channel of yours for this model.")
  String channel;

  @Option(
      names = "--key",
      required = true,
      description = "With --channel the channel's client key; without, the model owner's key.")
  Path key;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(
        names = "--input",
        paramLabel = "FILE.json",
        description = "{\"rows\": [...]} or an array of rows.")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "A CSV file with a header.")
    Path csv;
  }

  @Option(
      names = "--label",
      paramLabel = "COLUMN",
      description = "With --csv: a column to leave out (the label, if the file has one).")
  String label;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Where the channels' state files are (default ~/.fedledger/channels).")
  Path stateDir;

  @Option(names = "--json", description = "Print the answer as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ArrayNode rows;
    try {
      rows =
          input.json != null ? PredictInput.json(input.json) : PredictInput.csv(input.csv, label);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (label != null && input.csv == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--label goes with --csv");
    }
    ObjectNode request = NodeClient.JSON.createObjectNode();
    request.set("rows", rows);
    byte[] body = NodeClient.JSON.writeValueAsBytes(request);
    Ed25519KeyPair signer = KeyFile.load(key);
    NodeClient client = node.client();
    PredictCall call =
        channel == null
            ? PredictCall.byOwner(client, model, body, signer, Clock.systemUTC())
            : PredictCall.paid(
                client,
                model,
                body,
                new ChannelPayer(
                    client, stateDir == null ? ChannelPayer.defaultStateDir() : stateDir, signer),
                parseChannel());
    PredictCall.Outcome outcome = call.send();
    if (outcome.badInput()) {
      throw new CommandLine.ParameterException(spec.commandLine(), outcome.refusal());
    }
    if (outcome.refusal() != null) {
      throw new CommandFailedException(outcome.refusal());
    }
    print(outcome);
    if (!outcome.receiptValid()) {
      throw new CommandFailedException(
          "the provider's receipt does not verify (" + outcome.receiptProblem() + ")");
    }
    return 0;
  }

  private Hash parseChannel() {
    try {
      return Hash.fromHex(channel.startsWith("0x") ? channel.substring(2) : channel);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--channel must be 64 hex digits, got '" + channel + "'");
    }
  }

  private void print(PredictCall.Outcome outcome) {
    PrintWriter out = spec.commandLine().getOut();
    JsonNode answer = outcome.answer();
    if (json) {
      ObjectNode o = answer.deepCopy();
      o.put("receiptValid", outcome.receiptValid());
      if (outcome.stateFile() != null) {
        o.put("stateFile", outcome.stateFile().toString());
      }
      out.println(NodeClient.pretty(o));
    } else {
      int i = 0;
      for (JsonNode p : answer.path("predictions")) {
        out.printf("row %d  %s%n", i++, describe(p));
      }
      JsonNode r = answer.path("receipt");
      out.printf(
          "receipt  provider %s, %s, signature %s%n",
          r.path("provider").asText(),
          r.path("amount").asLong() == 0
              ? "unpaid (the owner's call)"
              : "channel "
                  + r.path("channelId").asText()
                  + " nonce "
                  + r.path("nonce").asLong()
                  + ", cumulative amount "
                  + r.path("amount").asLong(),
          outcome.receiptValid() ? "valid" : "INVALID");
    }
    out.flush();
  }

  private static String describe(JsonNode p) {
    if (p.has("label")) {
      int label = p.path("label").asInt();
      return String.format(
          java.util.Locale.ROOT,
          "class %d (p = %.3f)",
          label,
          p.path("probabilities").path(label).asDouble());
    }
    StringBuilder values = new StringBuilder();
    for (JsonNode v : p.path("values")) {
      values
          .append(values.length() == 0 ? "" : ", ")
          .append(String.format(java.util.Locale.ROOT, "%.4f", v.asDouble()));
    }
    return "value " + values;
  }
}
