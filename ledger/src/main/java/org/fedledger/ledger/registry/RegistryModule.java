package org.fedledger.ledger.registry;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.MessageType;
import org.fedledger.ledger.module.Module;
import org.fedledger.ledger.module.ModuleStore;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.StoreKey;
import org.fedledger.ledger.module.TxFailedException;

/**
 * Datasets and models. State (under "registry/"): {@code dataset/<id>} → {@link Dataset}; {@code
 * owner_count/<address>} → 8 bytes and {@code owner/<address><sequence 8B>} → dataset id (an
 * owner's datasets in registration order); {@code model/<id>} → {@link Model}; {@code model_count}
 * → 8 bytes and {@code model_index/<sequence 8B>} → model id. Lists are explicit indexes because
 * state has no range scans and iteration order must not depend on hashing.
 */
public final class RegistryModule implements Module, RegistryKeeper {
  public static final String NAME = "registry";
  public static final String REGISTER_DATASET = "RegisterDataset";

  public static final String EVENT_DATASET = "DatasetRegistered";
  public static final String EVENT_MODEL = "ModelRegistered";

  private static final byte[] DATASET = Bytes.utf8("dataset/");
  private static final byte[] OWNER_COUNT = Bytes.utf8("owner_count/");
  private static final byte[] OWNER = Bytes.utf8("owner/");
  private static final byte[] MODEL = Bytes.utf8("model/");
  private static final byte[] MODEL_COUNT = Bytes.utf8("model_count");
  private static final byte[] MODEL_INDEX = Bytes.utf8("model_index/");

  private final StoreKey key = new StoreKey(NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<MessageType<?>> messageTypes() {
    return List.of(
        new MessageType<>(
            REGISTER_DATASET, RegisterDataset::parseFrom, this::handleRegister, this::admit));
  }

  // ---- messages ----

  private void admit(RegisterDataset m, Address sender, QueryContext ctx) throws TxFailedException {
    DatasetRules.check(m);
    requireFreeId(ctx.store(key), m.getDatasetId());
  }

  private void handleRegister(RegisterDataset m, ExecutionContext ctx) throws TxFailedException {
    DatasetRules.check(m);
    ModuleStore store = ctx.store(key);
    requireFreeId(store, m.getDatasetId());
    Dataset d =
        Dataset.newBuilder()
            .setDatasetId(m.getDatasetId())
            .setOwner(ctx.sender().toByteString())
            .setCommitmentHash(m.getCommitmentHash())
            .setSampleCount(m.getSampleCount())
            .setSchema(m.getSchema())
            .setLicence(m.getLicence())
            .addAllConsent(m.getConsentList())
            .setRegisteredHeight(ctx.height())
            .setSchemaHash(m.getSchemaHash())
            .build();
    store.put(datasetKey(m.getDatasetId()), d.toByteArray());
    byte[] countKey = Bytes.concat(OWNER_COUNT, ctx.sender().toByteArray());
    long seq = store.getLong(countKey);
    store.put(ownerKey(ctx.sender(), seq), Bytes.utf8(m.getDatasetId()));
    store.putLong(countKey, seq + 1);
    List<String> attributes =
        new ArrayList<>(
            List.of(
                "dataset_id",
                m.getDatasetId(),
                "owner",
                ctx.sender().toHex(),
                "commitment_hash",
                Hash.of(m.getCommitmentHash()).toHex(),
                "sample_count",
                Long.toString(m.getSampleCount()),
                "consent",
                String.join(",", m.getConsentList())));
    if (!m.getSchemaHash().isEmpty()) {
      // Only when present, so that a dataset registered without one emits what it always did.
      attributes.add("schema_hash");
      attributes.add(Hash.of(m.getSchemaHash()).toHex());
    }
    ctx.events().emit(NAME, EVENT_DATASET, attributes.toArray(String[]::new));
  }

  private static void requireFreeId(ModuleStore store, String id) throws TxFailedException {
    if (store.get(datasetKey(id)) != null) {
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE,
          "dataset_id '" + id + "' is already registered; choose another id");
    }
  }

  // ---- keeper ----

  @Override
  public Optional<Dataset> dataset(ExecutionContext ctx, String datasetId) {
    return readDataset(ctx.store(key), datasetId);
  }

  @Override
  public Optional<Model> model(ExecutionContext ctx, String modelId) {
    return readModel(ctx.store(key), modelId);
  }

  @Override
  public void registerModel(ExecutionContext ctx, Model model) throws TxFailedException {
    ModuleStore store = ctx.store(key);
    if (model.getModelId().isEmpty() || store.get(modelKey(model.getModelId())) != null) {
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE,
          "model id '" + model.getModelId() + "' is empty or already registered");
    }
    if (!model.getParentModelId().isEmpty()
        && store.get(modelKey(model.getParentModelId())) == null) {
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE,
          "parent model '" + model.getParentModelId() + "' is not registered");
    }
    store.put(modelKey(model.getModelId()), model.toByteArray());
    long seq = store.getLong(MODEL_COUNT);
    store.put(Bytes.concat(MODEL_INDEX, Bytes.ofLong(seq)), Bytes.utf8(model.getModelId()));
    store.putLong(MODEL_COUNT, seq + 1);
    ctx.events()
        .emit(
            NAME,
            EVENT_MODEL,
            "model_id",
            model.getModelId(),
            "version",
            Long.toString(model.getVersion()),
            "weights_hash",
            Hash.of(model.getWeightsHash()).toHex(),
            "job_id",
            Hash.of(model.getJobId()).toHex(),
            "parent_model_id",
            model.getParentModelId(),
            "rounds",
            Integer.toString(model.getRoundsCount()));
  }

  // ---- queries ----

  @Override
  public Optional<Dataset> dataset(QueryContext ctx, String datasetId) {
    return readDataset(ctx.store(key), datasetId);
  }

  /** owner's datasets in registration order. */
  public List<Dataset> datasetsByOwner(QueryContext ctx, Address owner) {
    ModuleStore store = ctx.store(key);
    long count = store.getLong(Bytes.concat(OWNER_COUNT, owner.toByteArray()));
    List<Dataset> out = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      String id =
          new String(store.get(ownerKey(owner, i)), java.nio.charset.StandardCharsets.UTF_8);
      readDataset(store, id).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public Optional<Model> model(QueryContext ctx, String modelId) {
    return readModel(ctx.store(key), modelId);
  }

  /** Models in registration order, starting at index from, at most limit of them. */
  public List<Model> models(QueryContext ctx, long from, int limit) {
    ModuleStore store = ctx.store(key);
    long count = store.getLong(MODEL_COUNT);
    List<Model> out = new ArrayList<>();
    for (long i = Math.max(0, from); i < count && out.size() < limit; i++) {
      String id =
          new String(
              store.get(Bytes.concat(MODEL_INDEX, Bytes.ofLong(i))),
              java.nio.charset.StandardCharsets.UTF_8);
      readModel(store, id).ifPresent(out::add);
    }
    return out;
  }

  /**
   * A model's ancestry: the model itself, then its parent, and so on to a model trained from
   * scratch. Empty if the model is unknown. Each entry carries its own rounds.
   */
  public List<Model> lineage(QueryContext ctx, String modelId) {
    ModuleStore store = ctx.store(key);
    List<Model> out = new ArrayList<>();
    Optional<Model> next = readModel(store, modelId);
    // Parents are registered before children, so the chain is finite; the bound is a safeguard.
    while (next.isPresent() && out.size() < 10_000) {
      out.add(next.get());
      String parent = next.get().getParentModelId();
      next = parent.isEmpty() ? Optional.empty() : readModel(store, parent);
    }
    return out;
  }

  // ---- encoding ----

  private static Optional<Dataset> readDataset(ModuleStore store, String id) {
    byte[] bytes = store.get(datasetKey(id));
    return bytes == null ? Optional.empty() : Optional.of(parse(bytes, Dataset.parser()));
  }

  private static Optional<Model> readModel(ModuleStore store, String id) {
    byte[] bytes = store.get(modelKey(id));
    return bytes == null ? Optional.empty() : Optional.of(parse(bytes, Model.parser()));
  }

  private static <T> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser) {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt registry state; restore the data directory", e);
    }
  }

  private static byte[] datasetKey(String id) {
    return Bytes.concat(DATASET, Bytes.utf8(id));
  }

  private static byte[] modelKey(String id) {
    return Bytes.concat(MODEL, Bytes.utf8(id));
  }

  private static byte[] ownerKey(Address owner, long seq) {
    return Bytes.concat(OWNER, owner.toByteArray(), Bytes.ofLong(seq));
  }
}
