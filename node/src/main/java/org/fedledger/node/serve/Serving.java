package org.fedledger.node.serve;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.agent.BlobSource;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.blob.SignedRequest;

/**
 * A provider's serving: the models it has loaded (each with its batcher), its payment gate and
 * voucher store, and its metrics. Models load on their first call. Build with {@link #builder()};
 * close to stop the inference threads and close the store.
 */
public final class Serving implements AutoCloseable {
  /**
   * Defaults, chosen by hand: not yet measured ({@code fedledger bench serve} does not exist yet).
   */
  public static final int DEFAULT_MAX_BATCH_ROWS = 64;

  public static final long DEFAULT_MAX_WAIT_MICROS = 200;
  public static final long DEFAULT_EXPIRY_MARGIN =
      org.fedledger.node.config.NodeConfig.Serving.DEFAULT_EXPIRY_MARGIN;

  private final Supplier<Ledger> ledger;
  private final Ed25519KeyPair key;
  private final ModelLoader loader;
  private final VoucherStore store;
  private final PaymentGate gate;
  private final ServeMetrics metrics;
  private final int maxBatchRows;
  private final long maxWaitMicros;
  private final boolean requirePayment;
  private final SignedRequest.Verifier ownerCalls = new SignedRequest.Verifier(Clock.systemUTC());
  private final Map<String, Model> models = new ConcurrentHashMap<>();

  /** A loaded model: its batcher, how its inputs read, and its owner (who calls it unpaid). */
  record Model(String id, PredictionBatcher batcher, InputDecoder inputs, Address owner) {}

  private Serving(Builder b) throws IOException {
    this.ledger = Objects.requireNonNull(b.ledger, "setLedger");
    this.key = Objects.requireNonNull(b.key, "setKey");
    this.loader = new ModelLoader(Objects.requireNonNull(b.blobs, "setBlobs"));
    this.metrics = new ServeMetrics(Objects.requireNonNull(b.registry, "setMeterRegistry"));
    this.store =
        VoucherStore.open(
            Objects.requireNonNull(b.dataDir, "setDataDir"),
            VoucherStore.DEFAULT_GATHER,
            metrics::synced);
    this.gate = new PaymentGate(ledger, key.publicKey().address(), b.expiryMargin, store);
    this.maxBatchRows = b.maxBatchRows;
    this.maxWaitMicros = b.maxWaitMicros;
    this.requirePayment = b.requirePayment;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The model, loaded on first use.
   *
   * @throws IllegalArgumentException if no model has the id
   * @throws BlobException if its weights cannot be had
   */
  Model model(String modelId) throws BlobException {
    Model m = models.get(modelId);
    if (m != null) {
      return m;
    }
    synchronized (models) {
      m = models.get(modelId);
      if (m == null) {
        Ledger chain = ledger.get();
        ModelLoader.Loaded loaded = loader.load(chain, modelId);
        Address owner =
            chain
                .query(q -> chain.contracts().registry().model(q, modelId))
                .map(x -> Address.of(x.getSponsor().toByteArray()))
                .orElseThrow();
        m =
            new Model(
                modelId,
                new PredictionBatcher(loaded.model(), maxBatchRows, maxWaitMicros, metrics::batch),
                loaded.inputs(),
                owner);
        models.put(modelId, m);
      }
      return m;
    }
  }

  public Ledger ledger() {
    return ledger.get();
  }

  public Ed25519KeyPair key() {
    return key;
  }

  public PaymentGate gate() {
    return gate;
  }

  public VoucherStore store() {
    return store;
  }

  public ServeMetrics metrics() {
    return metrics;
  }

  /** False only for a benchmark's baseline: every call is answered without payment. */
  public boolean requirePayment() {
    return requirePayment;
  }

  SignedRequest.Verifier ownerCalls() {
    return ownerCalls;
  }

  @Override
  public void close() {
    for (Model m : models.values()) {
      m.batcher().close();
    }
    models.clear();
    store.close();
  }

  /** Required: set*; optional: opt*. */
  public static final class Builder {
    private Supplier<Ledger> ledger;
    private Ed25519KeyPair key;
    private BlobSource blobs;
    private Path dataDir;
    private MeterRegistry registry;
    private int maxBatchRows = DEFAULT_MAX_BATCH_ROWS;
    private long maxWaitMicros = DEFAULT_MAX_WAIT_MICROS;
    private long expiryMargin = DEFAULT_EXPIRY_MARGIN;
    private boolean requirePayment = true;

    private Builder() {}

    /** The committed state (asked each time: a snapshot install replaces the ledger). */
    public Builder setLedger(Supplier<Ledger> ledger) {
      this.ledger = ledger;
      return this;
    }

    /** The provider's key: its address must be the channels' provider; it signs receipts. */
    public Builder setKey(Ed25519KeyPair key) {
      this.key = key;
      return this;
    }

    /** Where the models' weights come from. */
    public Builder setBlobs(BlobSource blobs) {
      this.blobs = blobs;
      return this;
    }

    /** Directory of the voucher store. */
    public Builder setDataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    public Builder setMeterRegistry(MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    public Builder optMaxBatchRows(int rows) {
      this.maxBatchRows = rows;
      return this;
    }

    public Builder optMaxWaitMicros(long micros) {
      this.maxWaitMicros = micros;
      return this;
    }

    /** Blocks a channel must have left before expiry for its calls to be taken. */
    public Builder optExpiryMargin(long blocks) {
      if (blocks < 1) {
        throw new IllegalArgumentException("the expiry margin must be at least 1 block");
      }
      this.expiryMargin = blocks;
      return this;
    }

    /** With false, calls are answered without any payment: a benchmark's baseline only. */
    public Builder optRequirePayment(boolean require) {
      this.requirePayment = require;
      return this;
    }

    public Serving build() throws IOException {
      return new Serving(this);
    }
  }
}
