package org.fedledger.cli.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.learning.io.Safetensors;
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
 * writes it byte for byte, so {@code sha256sum FILE} prints the weights hash the chain records.
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

  @Override
  public Integer call() throws Exception {
    if (!format.equals("safetensors")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--format: only safetensors is supported, not " + format);
    }
    ModelRecords records = ModelRecords.fetch(node.client(), modelId);
    Hash weights = Hash.of(records.model().getWeightsHash());
    byte[] bytes;
    try (AuditorBlobs source = new AuditorBlobs(KeyFile.load(blobs.key), blobs.peers)) {
      bytes = source.source().get(weights, records.finalLocation());
    } catch (BlobException e) {
      throw new CommandFailedException(
          "cannot fetch the weights of model " + modelId + ": " + e.getMessage());
    }
    if (!Sha256.hash(bytes).equals(weights)) {
      throw new CommandFailedException("the weights blob does not hash to " + weights.toHex());
    }
    Safetensors.read(bytes);
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
    spec.commandLine().getOut().flush();
    return 0;
  }
}
