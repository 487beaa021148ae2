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
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.fedledger.consensus.block.BlockParams;
import org.fedledger.core.crypto.Ed25519;
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
          + " directory), commit pre-signed transfers under the same load until the JIT has"
          + " settled, then submit M more and wait until all are committed.",
      "Writes {\"nodes\",\"txs\",\"tps\",\"p50_ms\",\"p99_ms\",...} to --json and stdout.",
      "tps = txs / (first submission .. last commit); latency = submission .. the block holding"
          + " the transfer applied on the node it was submitted to.",
      "",
      "  fedledger bench ledger --nodes 1 --txs 300000 --json out/bench-1.json",
      "  fedledger bench ledger --nodes 3 --txs 100000 --rate 5000 --json out/bench-3-half.json",
      "  fedledger bench ledger --nodes 3 --txs 100000 --tls --json out/bench-3-tls.json"
    })
public final class LedgerBenchCommand implements Callable<Integer> {
  @Option(names = "--nodes", description = "validators (default: ${DEFAULT-VALUE})")
  int nodes = 1;

  @Option(
      names = "--base-port",
      description =
          "validator i listens on 127.0.0.1:BASE+3i (API), BASE+3i+1 (Raft) and BASE+3i+2"
              + " (blobs) (default: ${DEFAULT-VALUE})")
  int basePort = 7940;

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
          "transfers committed, under the same load, before the measured ones, so that the"
              + " measurement sees compiled code, not the JIT at work; default: rounds of 5 s at"
              + " --rate (30000 transfers closed loop) until the JIT compiles less than 15% of the"
              + " time of two rounds in a row, for at most --warmup-max-seconds; 0 measures from a"
              + " cold start")
  Integer warmupTxs;

  @Option(
      names = "--warmup-round-txs",
      description =
          "transfers per warm-up round while waiting for the JIT to settle; default 5 s at --rate,"
              + " 30000 closed loop")
  Integer warmupRoundTxs;

  /**
   * Five minutes by default, not two: code that runs once per block (Raft's append path, gRPC, the
   * block builder) is called only 60-100 times a second by three nodes at 20-33 blocks a second, so
   * C2 compiled it for the first time after 60-90 s of load (session 9, 50 ms blocks), 0.2-1.5 s of
   * a core per method; on two cores, a window measured meanwhile shows the compiler, not the ledger
   * (BENCHMARKS.md, session 9).
   */
  @Option(
      names = "--warmup-max-seconds",
      description =
          "longest warm-up while waiting for the JIT to settle; the run is then measured anyway,"
              + " with a warning (default: ${DEFAULT-VALUE})")
  long warmupMaxSeconds = 300;

  @Option(
      names = "--flood",
      description =
          "while the measured transfers run, one funded key floods the leader's REST API with junk"
              + " at full speed on one thread, as an attacker would, ignoring Retry-After (issue"
              + " #21; see JunkFlood); the flooder's own CPU is reported apart from the node's")
  boolean flood;

  @Option(
      names = "--tls",
      description =
          "secure the network as `fedledger init` does: a consortium CA and a certificate per"
              + " validator, Raft over mutual TLS (the load still goes straight to each node's"
              + " consensus layer, so what TLS costs here is Raft's)")
  boolean tls;

  @Option(names = "--timeout", description = "seconds before giving up (default: ${DEFAULT-VALUE})")
  long timeoutSeconds = 900;

  /** A warm-up round is quiet if the JIT compiled for less than this share of its time. */
  static final double JIT_SETTLED = 0.15;

  /**
   * Quiet rounds in a row after which the JIT counts as settled. One was not enough: compilation
   * comes in bursts, and the two runs of session 10 whose p99 exceeded 100 ms had settled on one
   * quiet round right after one that compiled 38 and 45 % of the time (BENCHMARKS.md).
   */
  static final int JIT_QUIET_ROUNDS = 2;

  private final PrintStream err = System.err;

  @Override
  public Integer call() throws IOException, InterruptedException {
    validate();
    int effectiveWindow = window != null ? window : Math.min(50_000, 32 * accounts);
    TransferWorkload workload = TransferWorkload.create(LocalNetwork.CHAIN_ID, accounts);
    long balance = 1_000_000;
    // Genesis funds the workload's accounts and the network's admin alike.
    long supply = balance * (accounts + 1L);
    JunkFlood junk = flood ? new JunkFlood(LocalNetwork.CHAIN_ID) : null;
    if (flood) { // funded, so that its junk passes the cheap funding rule; it never spends
      supply += balance;
    }
    GcSettings gc = GcSettings.current();
    log("JVM garbage collection: %s", gc.describe());
    gc.hint().ifPresent(h -> log("note: %s", h));
    log(
        "starting %d validator(s) %s; signatures verified by %s ...",
        nodes,
        tls ? "with a consortium CA and certificates, as init makes them" : "without TLS",
        Ed25519.verifier());
    LedgerBenchResult result;
    try (LocalNetwork network =
        LocalNetwork.start(
            nodes,
            basePort,
            workload,
            balance,
            flood ? List.of(junk.address()) : List.of(),
            blockTxs,
            Duration.ofMillis(blockIntervalMs),
            tls,
            Duration.ofSeconds(60))) {
      long warmed = warmUp(network, workload, effectiveWindow);
      Signed measured = sign(workload, warmed, txs);
      long startHeight = network.nodes().get(0).height();
      log(
          "leader ready; submitting %d to %s, window %d, batch %d, %s",
          txs,
          submitTo,
          effectiveWindow,
          batch,
          rate > 0 ? String.format(Locale.ROOT, "open loop at %.0f tx/s", rate) : "closed loop");
      SSLContext floodTls = flood ? network.memberTls("flooder") : null;
      CpuAccounting cpu = CpuAccounting.start();
      if (flood) {
        junk.start(network.leaderApiUrl().orElseThrow(), floodTls);
      }
      LoadGenerator.Measured m;
      long cpuNanos;
      List<CpuAccounting.Group> cpuGroups;
      try {
        m = run(network, measured, effectiveWindow);
      } finally {
        // Read while the flooder's threads still run: threads that ended are not listed.
        cpuNanos = cpu.processNanos();
        cpuGroups = cpu.groups();
        if (junk != null) {
          junk.close();
        }
      }
      if (flood) {
        log("flood: %s", junk.summary());
      }
      reportCpu(cpuGroups, cpuNanos);
      long all = warmed + txs;
      log("all %d committed; checking that the nodes agree ...", all);
      long height =
          ConsistencyCheck.verify(
              network, network.fundedAccounts(workload), supply, all, Duration.ofSeconds(60));
      double seconds = (m.lastCommitNanos() - m.firstSubmitNanos()) / 1e9;
      LatencyStats stats = LatencyStats.ofNanos(m.latencyNanos());
      result =
          new LedgerBenchResult(
              nodes,
              txs,
              warmed,
              Math.round(txs / seconds * 10) / 10.0,
              stats.p50Ms(),
              stats.p99Ms(),
              stats.maxMs(),
              seconds,
              rate,
              height - startHeight,
              height,
              cpuNanos / 1e9,
              tls);
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
        "%d nodes%s: %.0f tx/s, p50 %.1f ms, p99 %.1f ms; written to %s",
        nodes, tls ? " (TLS)" : "", result.tps(), result.p50Ms(), result.p99Ms(), json);
    return 0;
  }

  /**
   * Commits transfers under the measured load (same rate, same target) until the JIT has settled,
   * or exactly --warmup-txs of them; returns how many. Nothing here is measured.
   */
  private long warmUp(LocalNetwork network, TransferWorkload workload, int window)
      throws InterruptedException {
    if (warmupTxs != null) {
      if (warmupTxs > 0) {
        log("warm-up: %d transfers, not measured ...", warmupTxs);
        run(network, sign(workload, 0, warmupTxs), window);
      }
      return warmupTxs;
    }
    int roundTxs =
        warmupRoundTxs != null
            ? warmupRoundTxs
            : rate > 0 ? (int) Math.max(5_000, rate * 5) : 30_000;
    long start = System.nanoTime();
    long done = 0;
    int quietRounds = 0;
    for (int round = 1; ; round++) {
      Signed signed = sign(workload, done, roundTxs);
      long compiledBefore = JitActivity.compileMillis();
      long roundStart = System.nanoTime();
      run(network, signed, window);
      done += roundTxs;
      double roundMillis = (System.nanoTime() - roundStart) / 1e6;
      double jitShare = (JitActivity.compileMillis() - compiledBefore) / roundMillis;
      if (!JitActivity.monitored()) {
        log("warm-up: %d transfers (this JVM does not report JIT activity)", done);
        return done;
      }
      log(
          "warm-up round %d: %d transfers in %.1f s, the JIT compiling %.0f%% of that time",
          round, roundTxs, roundMillis / 1e3, 100 * jitShare);
      quietRounds = jitShare < JIT_SETTLED ? quietRounds + 1 : 0;
      if (quietRounds >= JIT_QUIET_ROUNDS) {
        log("warm-up: the JIT has settled after %d transfers", done);
        return done;
      }
      if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(warmupMaxSeconds)) {
        log(
            "warm-up: the JIT is still busy after %d transfers and %d s; measuring anyway (the"
                + " figures include compilation; raise --warmup-max-seconds)",
            done, warmupMaxSeconds);
        return done;
      }
    }
  }

  /** Transfers [from, from + count), signed on all cores, with their hashes. */
  private Signed sign(TransferWorkload workload, long from, int count) {
    long t = System.nanoTime();
    List<byte[]> signed = workload.sign(from, count, 0);
    List<Hash> hashes = signed.parallelStream().map(LedgerBenchCommand::hashOf).toList();
    double seconds = (System.nanoTime() - t) / 1e9;
    if (seconds > 1) {
      log("signed %d transfers in %.1f s on %d cores", count, seconds, cores());
    }
    return new Signed(signed, hashes);
  }

  private record Signed(List<byte[]> txs, List<Hash> hashes) {}

  /** Submits all of signed at --rate and waits until every one is committed. */
  private LoadGenerator.Measured run(LocalNetwork network, Signed signed, int window)
      throws InterruptedException {
    try (LoadGenerator generator =
        new LoadGenerator(network, signed.txs(), signed.hashes(), window, batch, submitTo, err)) {
      return generator.run(0, signed.txs().size(), rate, Duration.ofSeconds(timeoutSeconds));
    }
  }

  /** Where the CPU went during the run: the top thread groups, in CPU seconds and per transfer. */
  private void reportCpu(List<CpuAccounting.Group> groups, long processNanos) {
    log(
        "process CPU %.1f s during the run = %.0f us per transfer; busiest threads:",
        processNanos / 1e9, processNanos / 1e3 / txs);
    if (flood) {
      // The flooder shares this process and its cores; a remote attacker's CPU would not.
      long flooder =
          groups.stream()
              .filter(g -> g.name().startsWith("junk-flood"))
              .mapToLong(CpuAccounting.Group::cpuNanos)
              .sum();
      log(
          "  of which the flooder's own threads (junk-flood*) %.1f s; the rest %.0f us per"
              + " transfer",
          flooder / 1e9, (processNanos - flooder) / 1e3 / txs);
    }
    groups.stream()
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
    if (basePort < 1024 || basePort > 65535 - 400 || basePort + 3 * nodes > 65535) {
      throw new IllegalArgumentException(
          "--base-port must be 1024-" + Math.min(65135, 65535 - 3 * nodes) + ", got " + basePort);
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
    if (warmupMaxSeconds < 1) {
      throw new IllegalArgumentException(
          "--warmup-max-seconds must be at least 1, got " + warmupMaxSeconds);
    }
    if (warmupRoundTxs != null && warmupRoundTxs < 1) {
      throw new IllegalArgumentException(
          "--warmup-round-txs must be at least 1, got " + warmupRoundTxs);
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
