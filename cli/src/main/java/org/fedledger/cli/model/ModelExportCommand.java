package org.fedledger.cli.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.learning.data.stats.FeatureStatistics;
import org.fedledger.learning.data.stats.Standardization;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.StandardizedWeights;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger model export MODEL_ID --format safetensors --out FILE}: fetches the model's
 * final weights blob, checks it hashes to the model's weights hash and parses as safetensors, and
 * writes it byte for byte, so {@code sha256sum FILE} prints the weights hash the chain records. A
 * model whose job standardized its features is written with that standardization folded into its
 * first layer ({@link StandardizedWeights}), so that it takes raw features; the command prints the
 * file's own hash beside the chain's.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Write a model's final weights to a file, after checking their hash.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written", "1:not found, unavailable or corrupt", "2:invalid options"})
public final class ModelExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;
  @Mixin BlobOptions blobs;

  @Parameters(index = "0", paramLabel = "MODEL_ID", description = "The model id.")
  String modelId;

  @Option(
      names = "--format",
      defaultValue = "safetensors",
      description = "Output format; only safetensors.")
  String format;

  @Option(names = "--out", required = true, description = "File to write.")
  Path out;

  /** The job's attested feature statistics, from where its statistics step committed them. */
  private static Standardization attestedStandardization(ModelRecords records, AuditorBlobs source)
      throws BlobException {
    Hash hash = Hash.of(records.job().getStatisticsHash());
    String location =
        records.jobBody().path("statistics_round").path("commit").path("blobLocation").asText(null);
    byte[] bytes = source.source().get(hash, location);
    try {
      return FeatureStatistics.fromBytes(bytes).standardization();
    } catch (IllegalArgumentException e) {
      throw new BlobException(
          "the job's statistics blob "
              + hash.toHex()
              + " is not feature statistics: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!format.equals("safetensors")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--format: only safetensors is supported, not " + format);
    }
    ModelRecords records = ModelRecords.fetch(node.client(), modelId);
    Hash weights = Hash.of(records.model().getWeightsHash());
    byte[] bytes;
    Standardization standardization = null;
    try (AuditorBlobs source = new AuditorBlobs(KeyFile.load(blobs.key), blobs.peers)) {
      bytes = source.source().get(weights, records.finalLocation());
      if (records.job().getSpec().getStandardize()) {
        standardization = attestedStandardization(records, source);
      }
    } catch (BlobException e) {
      throw new CommandFailedException(
          "cannot fetch the weights of model " + modelId + ": " + e.getMessage());
    }
    if (!Sha256.hash(bytes).equals(weights)) {
      throw new CommandFailedException("the weights blob does not hash to " + weights.toHex());
    }
    Weights trained = Safetensors.read(bytes);
    if (standardization != null) {
      // The owners trained on standardized features; the file takes raw ones.
      ModelSpec model = ModelSpecs.fromJson(records.model().getModelSpec());
      bytes = Safetensors.write(StandardizedWeights.fold(model, trained, standardization));
    }
    Path abs = out.toAbsolutePath();
    if (abs.getParent() != null) {
      Files.createDirectories(abs.getParent());
    }
    Path tmp = Files.createTempFile(abs.getParent(), ".export", ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    spec.commandLine()
        .getOut()
        .printf(
            "model %s weights %s written to %s (%d bytes)%n",
            modelId, weights.toHex(), out, bytes.length);
    if (standardization != null) {
      spec.commandLine()
          .getOut()
          .printf(
              "the job's attested standardization (%s) is folded into the first layer: the file"
                  + " takes raw features; its SHA-256 is %s%n",
              Hash.of(records.job().getStatisticsHash()).toHex(), Sha256.hash(bytes).toHex());
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
