package org.fedledger.cli.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.cli.job.ChainTx;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.PrivacyBudget;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.learning.data.DatasetCommitment;
import org.fedledger.learning.data.DatasetReader;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.schema.DataFormat;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.DatasetSchemaJson;
import org.fedledger.ledger.registry.PrivacyAccounts;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger dataset register}: reads the data under its schema, computes the commitment
 * ({@link DatasetCommitment}) and sample count locally and submits RegisterDataset with the
 * schema's hash; the data itself never leaves the machine.
 */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Register a dataset you own: its SHA-256 commitment, sample count, schema hash, licence and"
          + " the uses you consent to.",
      "The data is read under the schema first (as training will read it), so data that breaks"
          + " the schema is refused here, with its place, and nothing is registered.",
      "",
      "Example:",
      "  fedledger dataset register --key owner.key --id alice-patients --data patients.csv \\",
      "    --schema schema.json --licence CC-BY-4.0 --consent model-training:patients",
      "  fedledger dataset register --key net3/keys/owner-0.json --id owner-0 \\",
      "    --data net3/data/owner-0 --schema fashion-mnist --licence CC-BY-4.0 \\",
      "    --consent model-training:fashion-mnist",
      "  With a privacy budget (the dataset then trains only DP jobs that fit in it):",
      "    ... --dp-epsilon 8 --dp-delta 1e-5"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:registered", "1:refused or failed", "2:invalid options"})
public final class DatasetRegisterCommand implements Callable<Integer> {
  /** The registered schema text: this prefix and the schema's hash in hex. */
  public static final String SCHEMA_PREFIX = "dataset-schema sha256:";

  /** The registry's limit on a dataset's schema text (the ledger's DatasetRules). */
  static final int MAX_SCHEMA_CHARS = 4096;

  /**
   * What a dataset registers as its schema text: for a table, the schema document itself (its
   * canonical JSON, whose SHA-256 is the schema hash), so that a provider serving a model trained
   * on it takes rows of named features; otherwise, or if the document is longer than the registry
   * takes, {@link #SCHEMA_PREFIX} and the hash.
   */
  public static String schemaText(DatasetSchema schema) {
    String document =
        new String(DatasetSchemaJson.canonical(schema), java.nio.charset.StandardCharsets.UTF_8);
    return schema.format() == DataFormat.CSV && document.length() <= MAX_SCHEMA_CHARS
        ? document
        : SCHEMA_PREFIX + schema.hash().toHex();
  }

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
        paramLabel = "FILE|DIR",
        description =
            "A CSV file, a folder of class sub-folders of images, or a folder of IDX files (such"
                + " as `fedledger dataset split` writes).")
    Path data;

    @Option(names = "--embedded", description = "The embedded Fashion-MNIST training set.")
    boolean embedded;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--schema",
      required = true,
      paramLabel = "FILE",
      description =
          "The dataset schema (JSON, see `fedledger dataset schema`), or fashion-mnist for the"
              + " built-in Fashion-MNIST schema.")
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

  @Mixin DpBudgetOptions privacy;

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
    Optional<PrivacyBudget> budget = privacy.budget(spec);
    DatasetSchema dataSchema = Datasets.schema(schema);
    LabeledData data;
    if (source.embedded) {
      if (!dataSchema.equals(Datasets.FASHION_MNIST_SCHEMA)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--embedded is Fashion-MNIST: use --schema fashion-mnist");
      }
      data = Datasets.fashionMnist(Optional.empty()).train();
    } else {
      data = DatasetReader.read(source.data, dataSchema);
    }
    DatasetCommitment commitment = DatasetCommitment.of(data, dataSchema);
    Hash schemaHash = dataSchema.hash();
    RegisterDataset msg =
        RegisterDataset.newBuilder()
            .setDatasetId(id)
            .setCommitmentHash(commitment.hash().toByteString())
            .setSampleCount(commitment.samples())
            // The chain compares schema_hash with the job's at JoinJob; the schema text is the
            // table's schema document (a provider reads its features' names) or names the hash.
            .setSchemaHash(schemaHash.toByteString())
            .setSchema(schemaText(dataSchema))
            .setLicence(licence)
            .addAllConsent(consent)
            .build();
    if (budget.isPresent()) {
      msg = msg.toBuilder().setPrivacyBudget(budget.get()).build();
    }
    JsonNode tx =
        new ChainTx(node.client(), KeyFile.load(key))
            .submitAndWait("registry", "RegisterDataset", msg, Duration.ofSeconds(timeoutSeconds));
    ObjectNode out = NodeClient.JSON.createObjectNode();
    out.put("datasetId", id);
    out.put("commitmentHash", commitment.hash().toHex());
    out.put("sampleCount", commitment.samples());
    out.put("schemaHash", schemaHash.toHex());
    budget.ifPresent(
        b ->
            out.putObject("privacyBudget")
                .put("epsilon", PrivacyAccounts.epsilon(b.getEpsilonMicros()))
                .put("delta", PrivacyAccounts.delta(b.getDeltaPerTrillion())));
    out.put("txHash", tx.path("receipt").path("txHash").asText(""));
    spec.commandLine().getOut().println(NodeClient.pretty(out));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
