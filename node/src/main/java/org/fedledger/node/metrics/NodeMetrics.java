package org.fedledger.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import org.fedledger.core.tx.TxRejection;

/**
 * The counters a node exports. Names follow Prometheus conventions once rendered: {@code
 * fedledger_blocks_committed_total}, {@code fedledger_transactions_committed_total}, {@code
 * fedledger_transactions_failed_total}, {@code fedledger_transactions_accepted_total}, {@code
 * fedledger_admission_rejections_total{reason=...}}, {@code fedledger_api_throttled_total}, {@code
 * fedledger_mempool_size}, {@code fedledger_chain_height}, {@code fedledger_block_apply_seconds}
 * (when consensus reports it), {@code fedledger_block_commit_latency_seconds}.
 */
public final class NodeMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter blocks;
  private final Counter txsCommitted;
  private final Counter txsFailed;
  private final Counter txsAccepted;
  private final Counter throttled;
  private final Map<TxRejection, Counter> rejections = new EnumMap<>(TxRejection.class);
  private final Timer applyTime;
  private final Timer commitLatency;

  public NodeMetrics(Supplier<Number> mempoolSize, Supplier<Number> height) {
    blocks =
        Counter.builder("fedledger.blocks.committed")
            .description("Blocks this node committed")
            .register(registry);
    txsCommitted =
        Counter.builder("fedledger.transactions.committed")
            .description("Transactions in committed blocks, successful or not")
            .register(registry);
    txsFailed =
        Counter.builder("fedledger.transactions.failed")
            .description("Committed transactions whose receipt is FAILED")
            .register(registry);
    txsAccepted =
        Counter.builder("fedledger.transactions.accepted")
            .description("Transactions this node's API admitted to the mempool")
            .register(registry);
    throttled =
        Counter.builder("fedledger.api.throttled")
            .description(
                "Submissions refused with 429 because their client's refusal budget was spent")
            .register(registry);
    for (TxRejection r : TxRejection.values()) {
      // Registered up front so every reason shows (as 0) before the first rejection.
      rejections.put(
          r,
          Counter.builder("fedledger.admission.rejections")
              .description("Transactions refused at admission, by reason")
              .tag("reason", r.name())
              .register(registry));
    }
    applyTime =
        Timer.builder("fedledger.block.apply")
            .description("Time to execute and commit one block")
            .register(registry);
    commitLatency =
        Timer.builder("fedledger.block.commit.latency")
            .description("From the leader's block timestamp to commit on this node")
            .register(registry);
    Gauge.builder("fedledger.mempool.size", () -> mempoolSize.get())
        .description("Transactions waiting in the mempool")
        .register(registry);
    Gauge.builder("fedledger.chain.height", () -> height.get())
        .description("Height of the last committed block")
        .register(registry);
  }

  public void blockCommitted(int txCount, int failedTxs) {
    blocks.increment();
    txsCommitted.increment(txCount);
    txsFailed.increment(failedTxs);
  }

  public void blockApplied(Duration elapsed) {
    applyTime.record(elapsed);
  }

  public void commitLatency(Duration elapsed) {
    commitLatency.record(elapsed);
  }

  public void accepted() {
    txsAccepted.increment();
  }

  /** A submission refused with 429: its client's refusal budget was spent. */
  public void throttled() {
    throttled.increment();
  }

  public void rejected(TxRejection reason) {
    rejections.get(reason).increment();
  }

  /** Prometheus text exposition format. */
  public String scrape() {
    return registry.scrape();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
