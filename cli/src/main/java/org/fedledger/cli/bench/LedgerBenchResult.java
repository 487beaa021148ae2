package org.fedledger.cli.bench;

import java.util.Locale;

/**
 * The outcome of one {@code fedledger bench ledger} run.
 *
 * @param nodes validators in the network
 * @param txs transfers submitted, all committed (not counting the warm-up)
 * @param warmupTxs transfers committed before the measured ones, so that the JIT has compiled the
 *     hot paths; not in any other figure
 * @param tps txs divided by the seconds from the first submission to the last commit
 * @param p50Ms median time from submission to inclusion in a block applied on the submitting node
 * @param p99Ms 99th percentile of the same
 * @param maxMs the slowest transfer
 * @param seconds the duration tps is computed over
 * @param targetRate the requested open-loop rate in tx/s, or 0 for as fast as possible
 * @param blocks blocks the transfers were spread over
 * @param height chain height at the end, identical on every node
 * @param cpuSeconds CPU time of the whole process (all nodes and the load generator) from the first
 *     submission until the last commit: on a shared machine, the figure that does not depend on the
 *     neighbours
 * @param tls whether Raft between the validators ran over mutual TLS
 */
record LedgerBenchResult(
    int nodes,
    int txs,
    long warmupTxs,
    double tps,
    double p50Ms,
    double p99Ms,
    double maxMs,
    double seconds,
    double targetRate,
    long blocks,
    long height,
    double cpuSeconds,
    boolean tls) {

  /** One JSON object, the first five fields being the ones scripts rely on. */
  String toJson() {
    return String.format(
        Locale.ROOT,
        "{\"nodes\":%d,\"txs\":%d,\"tps\":%.1f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,"
            + "\"seconds\":%.3f,\"target_rate\":%.1f,\"blocks\":%d,\"height\":%d,"
            + "\"cpu_s\":%.2f,\"cpu_us_per_tx\":%.1f,\"warmup_txs\":%d,\"tls\":%b}",
        nodes,
        txs,
        tps,
        p50Ms,
        p99Ms,
        maxMs,
        seconds,
        targetRate,
        blocks,
        height,
        cpuSeconds,
        cpuSeconds * 1e6 / txs,
        warmupTxs,
        tls);
  }
}
