package org.fedledger.node.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Prometheus metrics of serving: calls by payment, refusals by code, latency, batch sizes, claims.
 */
public final class ServeMetrics {
  private final MeterRegistry registry;
  private final Counter paid;
  private final Counter owner;
  private final Counter free;
  private final Timer latency;
  private final DistributionSummary batchRows;
  private final DistributionSummary syncVouchers;
  private final Counter claims;
  private final Counter claimed;

  public ServeMetrics(MeterRegistry registry) {
    this.registry = registry;
    paid = calls("paid");
    owner = calls("owner");
    free = calls("free");
    latency =
        Timer.builder("fedledger.predict.latency")
            .description("From a predict request's arrival to its answer, answered calls only")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    batchRows =
        DistributionSummary.builder("fedledger.predict.batch.rows")
            .description("Rows per forward pass of the dynamic batcher")
            .register(registry);
    syncVouchers =
        DistributionSummary.builder("fedledger.voucher.sync.vouchers")
            .description("Vouchers per synced write of the provider's voucher store")
            .register(registry);
    claims =
        Counter.builder("fedledger.channel.claims")
            .description("Claims this provider got committed")
            .register(registry);
    claimed =
        Counter.builder("fedledger.channel.claimed.tokens")
            .description("Tokens this provider's committed claims settled")
            .register(registry);
  }

  private Counter calls(String payment) {
    return Counter.builder("fedledger.predict.calls")
        .description("Predict calls answered, by how they were paid (paid, owner, free)")
        .tag("payment", payment)
        .register(registry);
  }

  void answered(String payment, Duration elapsed) {
    switch (payment) {
      case "paid" -> paid.increment();
      case "owner" -> owner.increment();
      default -> free.increment();
    }
    latency.record(elapsed);
  }

  void refused(String code) {
    Counter.builder("fedledger.predict.refusals")
        .description("Predict calls refused, by code")
        .tag("code", code)
        .register(registry)
        .increment();
  }

  void batch(int rows) {
    batchRows.record(rows);
  }

  void synced(int vouchers) {
    syncVouchers.record(vouchers);
  }

  void claimed(long amount) {
    claims.increment();
    claimed.increment((double) amount);
  }

  public double paidCalls() {
    return paid.count();
  }

  public double claims() {
    return claims.count();
  }

  /** The dynamic batcher's forward passes so far, and the rows they carried. */
  public Tally forwardPasses() {
    return Tally.of(batchRows);
  }

  /** The voucher store's synced writes so far, and the vouchers they carried. */
  public Tally voucherSyncs() {
    return Tally.of(syncVouchers);
  }

  /** How many events a distribution counted so far, and the sum of their amounts. */
  public record Tally(long count, double total) {
    static Tally of(DistributionSummary summary) {
      return new Tally(summary.count(), summary.totalAmount());
    }

    /** The mean amount of the events counted since {@code before}; 0 if none. */
    public double meanSince(Tally before) {
      long n = count - before.count;
      return n == 0 ? 0 : (total - before.total) / n;
    }
  }
}
