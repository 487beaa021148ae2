package org.fedledger.cli.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.cli.job.ChainTx;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.learning.data.Datasets;
import org.fedledger.node.config.DataDirectory;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger dataset register}: computes the data's commitment ({@link DataCommitment}) and
 * sample count locally and submits RegisterDataset; the data itself never leaves the machine.
 */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Register a dataset you own: its SHA-256 commitment, sample count, schema, licence and the"
          + " uses you consent to.",
      "",
      "Example:",
      "  fedledger dataset register --key owner.key --id alice-fmnist --data train.csv \\",
      "    --schema 'label,784 pixels' --licence CC-BY-4.0 --consent model-training:fashion-mnist",
      "  fedledger dataset register --key net3/keys/owner-0.json --id owner-0 \\",
      "    --data net3/data/owner-0 --schema fashion-mnist --licence CC-BY-4.0 \\",
      "    --consent model-training:fashion-mnist"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:registered", "1:refused or failed", "2:invalid options"})
public final class DatasetRegisterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Option(names = "--key", required = true, description = "Owner's key file.")
  Path key;

  @Option(
      names = "--id",
      required = true,
      description = "Dataset id: 1-128 characters of A-Z a-z 0-9 . _ : -")
  String id;

  static final class Source {
    @Option(
        names = "--data",
        description =
            "An IDX or CSV file (its bytes are committed to), or a directory `fedledger dataset"
                + " split` wrote (its samples are committed to as the node's agents see them).")
    Path data;

    @Option(names = "--embedded", description = "The embedded Fashion-MNIST training set.")
    boolean embedded;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--schema", required = true, description = "What a sample looks like.")
  String schema;

  @Option(names = "--licence", required = true, description = "Licence, e.g. CC-BY-4.0.")
  String licence;

  @Option(
      names = "--consent",
      required = true,
      split = ",",
      description = "Allowed uses, comma-separated, e.g. research,model-training:fashion-mnist.")
  List<String> consent = new ArrayList<>();

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait.")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    if (!id.matches("[A-Za-z0-9._:-]{1,128}")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--id must be 1-128 characters of A-Z a-z 0-9 . _ : - : " + id);
    }
    for (String c : consent) {
      if (c.isBlank()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--consent has an empty use");
      }
    }
    DataCommitment commitment;
    if (source.embedded) {
      commitment = DataCommitment.of(Datasets.fashionMnist(Optional.empty()).train());
    } else if (Files.isDirectory(source.data)) {
      commitment = DataCommitment.of(DataDirectory.load(source.data, DataDirectory.Part.TRAIN));
    } else {
      commitment = DataCommitment.ofFile(source.data);
    }
    RegisterDataset msg =
        RegisterDataset.newBuilder()
            .setDatasetId(id)
            .setCommitmentHash(commitment.hash().toByteString())
            .setSampleCount(commitment.samples())
            .setSchema(schema)
            .setLicence(licence)
            .addAllConsent(consent)
            .build();
    JsonNode tx =
        new ChainTx(node.client(), KeyFile.load(key))
            .submitAndWait("registry", "RegisterDataset", msg, Duration.ofSeconds(timeoutSeconds));
    ObjectNode out = NodeClient.JSON.createObjectNode();
    out.put("datasetId", id);
    out.put("commitmentHash", commitment.hash().toHex());
    out.put("sampleCount", commitment.samples());
    out.put("txHash", tx.path("receipt").path("txHash").asText(""));
    spec.commandLine().getOut().println(NodeClient.pretty(out));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
