package org.fedledger.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.fedledger.consensus.block.BlockParams;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.tx.TransactionCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedledger bench ledger}: throughput and latency of bank transfers through a real
 * in-process network. Every signature is checked by every node as in production; nothing is
 * switched off.
 */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description = {
      "Start N validators in this process (Raft on Ratis over loopback, RocksDB in a temporary"
          + " directory), commit a warm-up of pre-signed transfers, then submit M more and"
          + " wait until all are committed.",
      "Writes {\"nodes\",\"txs\",\"tps\",\"p50_ms\",\"p99_ms\",...} to --json and stdout.",
      "tps = txs / (first submission .. last commit); latency = submission .. the block holding"
          + " the transfer applied on the node it was submitted to.",
      "",
      "  fedledger bench ledger --nodes 1 --txs 300000 --json out/bench-1.json",
      "  fedledger bench ledger --nodes 3 --txs 100000 --rate 5000 --json out/bench-3-half.json"
    })
public final class LedgerBenchCommand implements Callable<Integer> {
  @Option(names = "--nodes", description = "validators (default: ${DEFAULT-VALUE})")
  int nodes = 1;

  @Option(names = "--txs", required = true, description = "transfers to submit")
  int txs;

  @Option(names = "--json", required = true, description = "file to write the result to")
  Path json;

  @Option(
      names = "--accounts",
      description = "funded accounts sending round-robin (default: ${DEFAULT-VALUE})")
  int accounts = 1_000;

  @Option(
      names = "--rate",
      description = "open-loop submission rate in tx/s; 0 = as fast as possible (default)")
  double rate;

  @Option(
      names = "--submit-to",
      description = "LEADER or ALL (batches round-robin over nodes) (default: ${DEFAULT-VALUE})")
  LoadGenerator.Target submitTo = LoadGenerator.Target.LEADER;

  @Option(names = "--batch", description = "transfers per submit call (default: ${DEFAULT-VALUE})")
  int batch = 1_000;

  @Option(
      names = "--window",
      description =
          "most transfers submitted but not committed; default min(50000, 32 x accounts), as the"
              + " ledger admits nonces at most 64 ahead")
  Integer window;

  @Option(
      names = "--block-txs",
      description = "most transfers per block (default: ${DEFAULT-VALUE})")
  int blockTxs = BlockParams.DEFAULT_MAX_TXS;

  @Option(
      names = "--block-interval-ms",
      description = "block interval when fewer are pending (default: ${DEFAULT-VALUE})")
  long blockIntervalMs = BlockParams.DEFAULT_INTERVAL.toMillis();

  @Option(
      names = "--warmup-txs",
      description =
          "transfers committed before the measured ones, so that the measurement sees compiled"
              + " code, not the JIT at work; default a fifth of --txs, at most 30000; 0 measures"
              + " from a cold start")
  Integer warmupTxs;

  @Option(names = "--timeout", description = "seconds before giving up (default: ${DEFAULT-VALUE})")
  long timeoutSeconds = 900;

  private final PrintStream err = System.err;

  @Override
  public Integer call() throws IOException, InterruptedException {
    validate();
    int effectiveWindow = window != null ? window : Math.min(50_000, 32 * accounts);
    int warmup = warmupTxs != null ? warmupTxs : Math.min(30_000, txs / 5);
    int all = warmup + txs;
    log(
        "signing %d + %d transfers from %d accounts on %d cores ...",
        warmup, txs, accounts, cores());
    long t = System.nanoTime();
    TransferWorkload workload = TransferWorkload.create(LocalNetwork.CHAIN_ID, accounts);
    List<byte[]> signed = workload.sign(0, all, 0);
    List<Hash> hashes =
        IntStream.range(0, all).parallel().mapToObj(i -> hashOf(signed.get(i))).toList();
    log("signed in %.1f s", (System.nanoTime() - t) / 1e9);

    long balance = 1_000_000;
    long supply = balance * accounts;
    BlockParams block =
        BlockParams.defaults()
            .withMaxTxsPerBlock(blockTxs)
            .withBlockInterval(Duration.ofMillis(blockIntervalMs));
    log("starting %d validator(s) ...", nodes);
    LedgerBenchResult result;
    try (LocalNetwork network =
        LocalNetwork.start(nodes, workload, balance, block, Duration.ofSeconds(60))) {
      LoadGenerator generator =
          new LoadGenerator(network, signed, hashes, effectiveWindow, batch, submitTo, err);
      if (warmup > 0) {
        log("warm-up: %d transfers, closed loop, not measured ...", warmup);
        generator.run(0, warmup, 0, Duration.ofSeconds(timeoutSeconds));
      }
      long startHeight = network.nodes().get(0).height();
      log(
          "leader ready; submitting to %s, window %d, batch %d, %s",
          submitTo,
          effectiveWindow,
          batch,
          rate > 0 ? String.format(Locale.ROOT, "open loop at %.0f tx/s", rate) : "closed loop");
      CpuAccounting cpu = CpuAccounting.start();
      LoadGenerator.Measured m =
          generator.run(warmup, all, rate, Duration.ofSeconds(timeoutSeconds));
      long cpuNanos = cpu.processNanos();
      reportCpu(cpu, cpuNanos);
      log("all %d committed; checking that the nodes agree ...", all);
      long height =
          ConsistencyCheck.verify(
              network, workload.addresses(), supply, all, Duration.ofSeconds(60));
      double seconds = (m.lastCommitNanos() - m.firstSubmitNanos()) / 1e9;
      LatencyStats stats = LatencyStats.ofNanos(m.latencyNanos());
      result =
          new LedgerBenchResult(
              nodes,
              txs,
              warmup,
              Math.round(txs / seconds * 10) / 10.0,
              stats.p50Ms(),
              stats.p99Ms(),
              stats.maxMs(),
              seconds,
              rate,
              height - startHeight,
              height,
              cpuNanos / 1e9);
      if (m.retries() > 0) {
        log(
            "%d submissions were refused for a full mempool or nonce window and resent",
            m.retries());
      }
    }
    String out = result.toJson();
    Path parent = json.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(json, out + "\n", StandardCharsets.UTF_8);
    System.out.println(out);
    log(
        "%d nodes: %.0f tx/s, p50 %.1f ms, p99 %.1f ms; written to %s",
        nodes, result.tps(), result.p50Ms(), result.p99Ms(), json);
    return 0;
  }

  /** Where the CPU went during the run: the top thread groups, in CPU seconds and per transfer. */
  private void reportCpu(CpuAccounting cpu, long processNanos) {
    log(
        "process CPU %.1f s during the run = %.0f us per transfer; busiest threads:",
        processNanos / 1e9, processNanos / 1e3 / txs);
    cpu.groups().stream()
        .limit(12)
        .forEach(
            g ->
                log(
                    "  %6.1f s  %5.1f%%  %s",
                    g.cpuNanos() / 1e9,
                    100.0 * g.cpuNanos() / Math.max(1, processNanos),
                    g.name()));
  }

  private void validate() {
    if (nodes < 1) {
      throw new IllegalArgumentException("--nodes must be at least 1, got " + nodes);
    }
    if (txs < 1) {
      throw new IllegalArgumentException("--txs must be at least 1, got " + txs);
    }
    if (accounts < 2) {
      throw new IllegalArgumentException("--accounts must be at least 2, got " + accounts);
    }
    if (rate < 0) {
      throw new IllegalArgumentException("--rate must be positive, or 0 for closed loop");
    }
    if (warmupTxs != null && warmupTxs < 0) {
      throw new IllegalArgumentException("--warmup-txs must be 0 or more, got " + warmupTxs);
    }
    if (batch < 1 || (window != null && window < 1)) {
      throw new IllegalArgumentException("--batch and --window must be at least 1");
    }
  }

  private static Hash hashOf(byte[] encoded) {
    try {
      return TransactionCodec.hashOf(SignedTransaction.parseFrom(encoded));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("a transfer we just signed does not parse", e);
    }
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  private void log(String format, Object... args) {
    err.printf(Locale.ROOT, "bench: " + format + "%n", args);
  }
}
