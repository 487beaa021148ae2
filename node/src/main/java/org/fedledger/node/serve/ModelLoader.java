package org.fedledger.node.serve;

import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Round;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.DatasetSchemaJson;
import org.fedledger.learning.data.stats.FeatureStatistics;
import org.fedledger.learning.data.stats.Standardization;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.StandardizedWeights;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.agent.BlobSource;
import org.fedledger.node.blob.BlobException;

/**
 * Loads a registered model for serving, as {@code fedledger model export} does: the final weights
 * blob, fetched from where the last round's commit names (or the known peers) and checked against
 * the model's weights hash; the job's attested standardization folded into the first layer, so that
 * the served model takes raw features; and the job's dataset schema, for named inputs.
 */
public final class ModelLoader {
  private final BlobSource blobs;

  public ModelLoader(BlobSource blobs) {
    this.blobs = blobs;
  }

  /** What the loader made of a model: its weights in DJL and how its inputs read. */
  public record Loaded(ServedModel model, InputDecoder inputs) {}

  /** What the chain says about a model, read in one query. */
  private record ChainRecords(
      Model model, Job job, Round lastRound, Round statisticsRound, DatasetSchema schema) {}

  /**
   * The model, ready to serve.
   *
   * @throws IllegalArgumentException if no model has that id (the message says so)
   * @throws BlobException if the weights (or the statistics) cannot be fetched or fail their hash
   * @throws IllegalStateException if the spec or weights on record cannot make a model
   */
  public Loaded load(Ledger ledger, String modelId) throws BlobException {
    ChainRecords records =
        read(ledger, modelId)
            .orElseThrow(
                () -> new IllegalArgumentException("no registered model has the id " + modelId));
    Hash weightsHash = Hash.of(records.model().getWeightsHash());
    String location =
        records.lastRound() == null ? null : records.lastRound().getCommit().getBlobLocation();
    byte[] bytes = blobs.get(weightsHash, location);
    if (!Sha256.hash(bytes).equals(weightsHash)) {
      throw new BlobException("the weights blob does not hash to " + weightsHash.toHex());
    }
    ModelSpec spec;
    Weights weights;
    try {
      spec = ModelSpecs.fromJson(records.model().getModelSpec());
      weights = Safetensors.read(bytes);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "model " + modelId + " cannot be served: " + e.getMessage(), e);
    }
    Job job = records.job();
    if (job.getSpec().getStandardize() && !job.getStatisticsHash().isEmpty()) {
      // The owners trained on standardized features; the served model takes raw ones.
      weights = StandardizedWeights.fold(spec, weights, standardization(records));
    }
    ServedModel served;
    try {
      served = new ServedModel(spec, weights);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "model " + modelId + "'s weights do not fit its spec: " + e.getMessage(), e);
    }
    return new Loaded(served, new InputDecoder(served.inputSize(), records.schema()));
  }

  private Standardization standardization(ChainRecords records) throws BlobException {
    Hash hash = Hash.of(records.job().getStatisticsHash());
    String location =
        records.statisticsRound() == null
            ? null
            : records.statisticsRound().getCommit().getBlobLocation();
    byte[] bytes = blobs.get(hash, location);
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

  private static Optional<ChainRecords> read(Ledger ledger, String modelId) {
    return ledger.query(
        q -> {
          var c = ledger.contracts();
          Model model = c.registry().model(q, modelId).orElse(null);
          if (model == null) {
            return Optional.empty();
          }
          if (model.getJobId().size() != Hash.LENGTH) {
            return Optional.of(new ChainRecords(model, Job.getDefaultInstance(), null, null, null));
          }
          Hash jobId = Hash.of(model.getJobId());
          Job job = c.training().job(q, jobId).orElse(Job.getDefaultInstance());
          Round last = c.training().round(q, jobId, job.getCurrentRound()).orElse(null);
          Round statistics = c.training().round(q, jobId, 0).orElse(null);
          DatasetSchema schema = null;
          if (!job.getSpec().getSchemaHash().isEmpty()) {
            for (ParticipantRecord p : c.training().participants(q, jobId)) {
              Optional<Dataset> d = c.registry().dataset(q, p.getDatasetId());
              if (d.isPresent()) {
                schema = parseSchema(d.get().getSchema());
                if (schema != null) {
                  break;
                }
              }
            }
            if (schema == null
                && job.getSpec().getSchemaHash().size() == Hash.LENGTH
                && Datasets.FASHION_MNIST_SCHEMA
                    .hash()
                    .equals(Hash.of(job.getSpec().getSchemaHash()))) {
              // Registered under its name, not as a schema document: the built-in schema it names.
              schema = Datasets.FASHION_MNIST_SCHEMA;
            }
          }
          return Optional.of(new ChainRecords(model, job, last, statistics, schema));
        });
  }

  // A dataset's schema as registered; null if it is not a schema document (older datasets carry a
  // free-text description), in which case the model takes raw arrays.
  private static DatasetSchema parseSchema(String json) {
    try {
      return DatasetSchemaJson.parse(json);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
