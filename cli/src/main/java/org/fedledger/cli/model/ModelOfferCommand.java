package org.fedledger.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.cli.job.ChainTx;
import org.fedledger.core.address.Address;
import org.fedledger.core.proto.market.PublishOffer;
import org.fedledger.ledger.market.MarketMessages;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedledger model offer}: the model's owner publishes (or replaces) its offer. */
@Command(
    name = "offer",
    mixinStandardHelpOptions = true,
    description = {
      "Offer a registered model for pay-per-call serving (its owner only: the sponsor of its job).",
      "Clients then open payment channels to one of the providers."
    })
public final class ModelOfferCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Option(names = "--model", required = true, description = "Model id (its job id in hex).")
  String model;

  @Option(names = "--price", required = true, description = "Tokens per call (at least 1).")
  long price;

  @Option(
      names = "--provider",
      required = true,
      paramLabel = "ADDRESS",
      description = "An address allowed to serve the model and claim its channels; repeat it.")
  List<String> providers;

  @Option(
      names = "--split",
      required = true,
      paramLabel = "P:O:C",
      description =
          "Percent of each claim for the provider, the owner and the contributors, summing to 100"
              + " (e.g. 10:30:60; up to 4 decimals).")
  String split;

  @Option(names = "--licence", required = true, description = "e.g. CC-BY-4.0.")
  String licence;

  @Option(names = "--key", required = true, description = "The owner's key file.")
  Path key;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait.")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    long[] ppm = parseSplit(spec, split);
    PublishOffer.Builder offer =
        PublishOffer.newBuilder()
            .setModelId(model)
            .setPricePerCall(price)
            .setProviderFeePpm(ppm[0])
            .setOwnerSharePpm(ppm[1])
            .setContributorsSharePpm(ppm[2])
            .setLicence(licence);
    for (String p : providers) {
      offer.addProviders(parseAddress(spec, "--provider", p).toByteString());
    }
    NodeClient client = node.client();
    JsonNode tx =
        new ChainTx(client, KeyFile.load(key))
            .submitAndWait(
                MarketMessages.MODULE,
                MarketMessages.PUBLISH_OFFER,
                offer.build(),
                Duration.ofSeconds(timeoutSeconds));
    ObjectNode out = NodeClient.JSON.createObjectNode();
    out.put("txHash", tx.path("hash").asText());
    out.set("offer", client.require("/v1/market/offers/" + model, "the offer"));
    spec.commandLine().getOut().println(NodeClient.pretty(out));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** "10:30:60" (percent, up to 4 decimals, summing to 100) as parts per million. */
  static long[] parseSplit(CommandSpec spec, String text) {
    String[] parts = text.split(":", -1);
    String rule =
        "--split is three percentages P:O:C (provider, owner, contributors) with up to 4 decimals,"
            + " summing to 100, e.g. 10:30:60; got '"
            + text
            + "'";
    if (parts.length != 3) {
      throw new CommandLine.ParameterException(spec.commandLine(), rule);
    }
    long[] ppm = new long[3];
    long sum = 0;
    for (int i = 0; i < 3; i++) {
      try {
        BigDecimal percent = new BigDecimal(parts[i].trim());
        ppm[i] = percent.movePointRight(4).longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), rule);
      }
      if (ppm[i] < 0) {
        throw new CommandLine.ParameterException(spec.commandLine(), rule);
      }
      sum += ppm[i];
    }
    if (sum != 1_000_000) {
      throw new CommandLine.ParameterException(spec.commandLine(), rule);
    }
    return ppm;
  }

  static Address parseAddress(CommandSpec spec, String option, String text) {
    try {
      return Address.fromHex(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), option + " must be an address of 40 hex digits, got '" + text + "'");
    }
  }
}
