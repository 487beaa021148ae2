package org.fedledger.ledger.registry;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.registry.PrivacyAccount;
import org.fedledger.core.proto.registry.PrivacyBudget;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.proto.registry.RoundLineage;
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
 * → 8 bytes and {@code model_index/<sequence 8B>} → model id; {@code privacy/<id>} → the budgeted
 * dataset's {@link PrivacyAccount} (written when it first joins a DP job; {@link PrivacyAccounts}
 * holds the arithmetic). Lists are explicit indexes because state has no range scans and iteration
 * order must not depend on hashing.
 *
 * <p>A model's lineage is kept one round per key, {@code lineage/<id length 8B><id><index 8B>} →
 * {@link RoundLineage}; the stored {@link Model} holds only their number ({@code round_total}), so
 * that no single value grows with a job's rounds times its participants (issue #21). Every read of
 * a model here fills its rounds back in.
 */
public final class RegistryModule implements Module, RegistryKeeper {
  public static final String NAME = "registry";
  public static final String REGISTER_DATASET = "RegisterDataset";

  public static final String EVENT_DATASET = "DatasetRegistered";
  public static final String EVENT_MODEL = "ModelRegistered";

  private static final byte[] DATASET = Bytes.utf8("dataset/");
  private static final byte[] OWNER_COUNT = Bytes.utf8("owner_count/");
  private static final byte[] OWNER = Bytes.utf8("owner/");
  private static final byte[] PRIVACY = Bytes.utf8("privacy/");
  private static final byte[] MODEL = Bytes.utf8("model/");
  private static final byte[] MODEL_COUNT = Bytes.utf8("model_count");
  private static final byte[] MODEL_INDEX = Bytes.utf8("model_index/");
  private static final byte[] LINEAGE = Bytes.utf8("lineage/");

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
    Dataset.Builder builder =
        Dataset.newBuilder()
            .setDatasetId(m.getDatasetId())
            .setOwner(ctx.sender().toByteString())
            .setCommitmentHash(m.getCommitmentHash())
            .setSampleCount(m.getSampleCount())
            .setSchema(m.getSchema())
            .setLicence(m.getLicence())
            .addAllConsent(m.getConsentList())
            .setRegisteredHeight(ctx.height())
            .setSchemaHash(m.getSchemaHash());
    if (m.hasPrivacyBudget()) {
      builder.setPrivacyBudget(m.getPrivacyBudget());
    }
    Dataset d = builder.build();
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
    if (m.hasPrivacyBudget()) {
      attributes.add("epsilon_micros");
      attributes.add(Long.toString(m.getPrivacyBudget().getEpsilonMicros()));
      attributes.add("delta_per_trillion");
      attributes.add(Long.toString(m.getPrivacyBudget().getDeltaPerTrillion()));
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
    for (int i = 0; i < model.getRoundsCount(); i++) {
      store.put(lineageKey(model.getModelId(), i), model.getRounds(i).toByteArray());
    }
    store.put(
        modelKey(model.getModelId()),
        model.toBuilder()
            .clearRounds()
            .setRoundTotal(model.getRoundsCount())
            .build()
            .toByteArray());
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

  @Override
  public void reservePrivacy(ExecutionContext ctx, String datasetId, Hash jobId, PrivacyBudget cost)
      throws TxFailedException {
    ModuleStore store = ctx.store(key);
    Dataset d = requireBudgeted(store, datasetId);
    PrivacyAccount account =
        PrivacyAccounts.reserve(d, readAccount(store, datasetId), jobId.toByteString(), cost);
    store.put(privacyKey(datasetId), account.toByteArray());
    ctx.events().emit(PrivacyEvents.reserved(d, account, jobId, cost));
  }

  @Override
  public void spendPrivacy(
      ExecutionContext ctx, String datasetId, Hash jobId, long update, PrivacyBudget cumulative)
      throws TxFailedException {
    ModuleStore store = ctx.store(key);
    Dataset d = requireBudgeted(store, datasetId);
    PrivacyAccount account =
        PrivacyAccounts.spend(
            d, readAccount(store, datasetId), jobId.toByteString(), update, cumulative);
    store.put(privacyKey(datasetId), account.toByteArray());
    ctx.events().emit(PrivacyEvents.spent(d, account, jobId, update));
  }

  @Override
  public void releasePrivacy(ExecutionContext ctx, String datasetId, Hash jobId) {
    ModuleStore store = ctx.store(key);
    Optional<Dataset> d = readDataset(store, datasetId);
    if (d.isEmpty() || !d.get().hasPrivacyBudget()) {
      return;
    }
    PrivacyAccount before = readAccount(store, datasetId);
    PrivacyAccount after = PrivacyAccounts.release(before, jobId.toByteString());
    if (!after.equals(before)) {
      store.put(privacyKey(datasetId), after.toByteArray());
      ctx.events().emit(PrivacyEvents.released(d.get(), after, jobId));
    }
  }

  private static Dataset requireBudgeted(ModuleStore store, String datasetId)
      throws TxFailedException {
    Dataset d =
        readDataset(store, datasetId)
            .orElseThrow(
                () ->
                    new TxFailedException(
                        TxRejection.INVALID_MESSAGE,
                        "dataset '" + datasetId + "' is not registered"));
    if (!d.hasPrivacyBudget()) {
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE,
          "dataset '"
              + datasetId
              + "' has no privacy budget; register a dataset with one (privacy_budget)");
    }
    return d;
  }

  // ---- queries ----

  /**
   * A budgeted dataset's privacy account (zeros until it joins a DP job); empty for an unknown
   * dataset or one registered without a budget.
   */
  @Override
  public Optional<PrivacyAccount> privacyAccount(QueryContext ctx, String datasetId) {
    ModuleStore store = ctx.store(key);
    Optional<Dataset> d = readDataset(store, datasetId);
    if (d.isEmpty() || !d.get().hasPrivacyBudget()) {
      return Optional.empty();
    }
    return Optional.of(readAccount(store, datasetId));
  }

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

  private static PrivacyAccount readAccount(ModuleStore store, String datasetId) {
    byte[] bytes = store.get(privacyKey(datasetId));
    return bytes == null ? PrivacyAccounts.empty(datasetId) : parse(bytes, PrivacyAccount.parser());
  }

  /** The model with its lineage's rounds read from their own keys. */
  private static Optional<Model> readModel(ModuleStore store, String id) {
    byte[] bytes = store.get(modelKey(id));
    if (bytes == null) {
      return Optional.empty();
    }
    Model stored = parse(bytes, Model.parser());
    Model.Builder model = stored.toBuilder();
    for (long i = 0; i < stored.getRoundTotal(); i++) {
      byte[] round = store.get(lineageKey(id, i));
      if (round == null) {
        throw new IllegalStateException(
            "corrupt registry state: model " + id + " lacks lineage round " + i);
      }
      model.addRounds(parse(round, RoundLineage.parser()));
    }
    return Optional.of(model.build());
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

  private static byte[] privacyKey(String id) {
    return Bytes.concat(PRIVACY, Bytes.utf8(id));
  }

  private static byte[] modelKey(String id) {
    return Bytes.concat(MODEL, Bytes.utf8(id));
  }

  private static byte[] lineageKey(String modelId, long index) {
    byte[] id = Bytes.utf8(modelId);
    return Bytes.concat(LINEAGE, Bytes.ofLong(id.length), id, Bytes.ofLong(index));
  }

  private static byte[] ownerKey(Address owner, long seq) {
    return Bytes.concat(OWNER, owner.toByteArray(), Bytes.ofLong(seq));
  }
}
