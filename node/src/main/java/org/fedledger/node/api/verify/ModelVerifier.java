package org.fedledger.node.api.verify;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.agent.BlobSource;
import org.fedledger.node.agent.ModelAuditor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's own verdict on its registered models. Each model's lineage is replayed with the {@link
 * ModelAuditor} (the replay {@code fedledger model verify} runs) on one background thread, with
 * blobs from this node's blob store and its peers; the verdict is cached by model id, for good once
 * valid or invalid (a registered model's lineage never changes). A model is queued when first asked
 * for and, through {@link #blockCommitted}, as soon as a block registers it.
 *
 * <p>Wiring, for a node with a blob store: {@code new ApiServer(backend, metrics, new
 * ModelVerifier(consensus::ledger, blobSource))}; the API server feeds it blocks and closes it. A
 * node without one keeps {@code new ApiServer(backend, metrics)}, which serves every model as
 * {@code unavailable} with the reason {@link #NO_BLOB_STORE}.
 */
public final class ModelVerifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelVerifier.class);

  public static final String NO_BLOB_STORE =
      "this node has no blob store configured, so it cannot replay lineages; run `fedledger model"
          + " verify ID` against peers that hold the blobs";

  /** How long an unavailable verdict (a blob could not be had) stands before it is tried again. */
  static final Duration RETRY_UNAVAILABLE = Duration.ofSeconds(30);

  /** Models read from the registry per scan step. */
  private static final int SCAN_PAGE = 100;

  private final Supplier<Ledger> ledger;
  private final ModelAuditor auditor;
  private final ExecutorService worker;
  private final Map<String, Entry> verdicts = new ConcurrentHashMap<>();
  private final List<Consumer<Verification>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean scanQueued = new AtomicBoolean();
  private long scanned; // registry index of the next model to queue; worker thread only

  private record Entry(Verification verification, long atNanos) {
    boolean standing() {
      return verification.settled()
          || verification.status().equals(Verification.PENDING)
          || System.nanoTime() - atNanos < RETRY_UNAVAILABLE.toNanos();
    }
  }

  /**
   * @param ledger the committed state (asked each time: a snapshot install replaces the ledger)
   * @param blobs this node's blob store, and the peers to fetch what it lacks from
   */
  public ModelVerifier(Supplier<Ledger> ledger, BlobSource blobs) {
    this.ledger = ledger;
    this.auditor = new ModelAuditor(blobs);
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("model-verifier").daemon().unstarted(r));
  }

  private ModelVerifier() {
    this.ledger = null;
    this.auditor = null;
    this.worker = null;
  }

  /** For a node without a blob store: every model is unavailable, saying so. */
  public static ModelVerifier withoutBlobStore() {
    return new ModelVerifier();
  }

  /**
   * The verdict on a registered model (the caller checks that it is): cached, or {@code pending}
   * with a replay queued.
   */
  public Verification verification(String modelId) {
    if (auditor == null) {
      return Verification.unavailable(modelId, NO_BLOB_STORE);
    }
    AtomicBoolean queue = new AtomicBoolean();
    Entry entry =
        verdicts.compute(
            modelId,
            (id, old) -> {
              if (old != null && old.standing()) {
                return old;
              }
              queue.set(true);
              return new Entry(Verification.pending(id), System.nanoTime());
            });
    if (queue.get()) {
      run(() -> replay(modelId));
    }
    return entry.verification();
  }

  /** Waits for a verdict other than pending, at most timeout; the last answer if none came. */
  public Verification await(String modelId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Verification v = verification(modelId);
    while (v.status().equals(Verification.PENDING) && System.nanoTime() < deadline) {
      Thread.sleep(25);
      v = verification(modelId);
    }
    return v;
  }

  /** Tells listener each verdict as it is reached (on the verifier's thread: return at once). */
  public void onVerdict(Consumer<Verification> listener) {
    listeners.add(listener);
  }

  /** Queues the models registered since the last call; returns at once (apply thread safe). */
  public void blockCommitted() {
    if (auditor != null && scanQueued.compareAndSet(false, true)) {
      run(this::scan);
    }
  }

  private void scan() {
    scanQueued.set(false);
    Ledger l = ledger.get();
    List<Model> page;
    do {
      long from = scanned;
      page = l.query(q -> l.contracts().registry().models(q, from, SCAN_PAGE));
      for (Model m : page) {
        verification(m.getModelId());
      }
      scanned += page.size();
    } while (page.size() == SCAN_PAGE);
  }

  private void replay(String modelId) {
    Verification v;
    try {
      v =
          ModelAuditor.Records.read(ledger.get(), modelId)
              .map(r -> Verification.of(auditor.audit(r), r.height()))
              .orElseGet(
                  () -> Verification.unavailable(modelId, "no model " + modelId + " on the chain"));
    } catch (RuntimeException e) {
      log.warn("replaying the lineage of model {} failed", modelId, e);
      v = Verification.unavailable(modelId, "the replay failed: " + e);
    }
    verdicts.put(modelId, new Entry(v, System.nanoTime()));
    for (Consumer<Verification> l : listeners) {
      try {
        l.accept(v);
      } catch (RuntimeException e) {
        log.warn("a verdict listener failed", e);
      }
    }
  }

  private void run(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("verifier closed; not queued");
    }
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.shutdownNow();
    }
  }
}
