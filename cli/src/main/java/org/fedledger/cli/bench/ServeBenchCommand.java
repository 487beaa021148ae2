package org.fedledger.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.fedledger.core.io.FileTrees;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.RoyaltyPayment;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.ConsensusBackend;
import org.fedledger.node.FedledgerNode;
import org.fedledger.node.agent.BlobSource;
import org.fedledger.node.api.ApiServer;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.BlobStore;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.metrics.NodeMetrics;
import org.fedledger.node.serve.ServeMetrics;
import org.fedledger.node.serve.Serving;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedledger bench serve}: paid predictions per second through a real provider node, against
 * the same model served with no voucher check; then the provider claims every channel and the
 * chain's channels are checked to hold every token.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Start a provider node on loopback (one validator whose three owners train the demo's MLP"
          + " for one round), offer the model, open a channel for each client, and send paid"
          + " predict calls over HTTP from a closed loop of one connection per client, each"
          + " signing a voucher per call; and the same model served with no voucher check. After"
          + " a warm-up of each, paid and unpaid calls are measured in alternating windows.",
      "Writes {\"paid_calls_per_s\",\"paid_p50_ms\",\"paid_p99_ms\",\"unpaid_calls_per_s\","
          + "\"claims\",\"royalties_paid\",\"tokens_conserved\",...} to --json and stdout.",
      "",
      "  fedledger bench serve --json out/bench-serve.json",
      "  fedledger bench serve --clients 16 --duration 5 --warmup 2 --json out/smoke.json"
    })
public final class ServeBenchCommand implements Callable<Integer> {
  @Option(names = "--json", required = true, description = "file to write the result to")
  Path json;

  @Option(
      names = "--duration",
      description =
          "seconds measured, for paid and for unpaid calls each, in "
              + WINDOWS
              + " windows per side (default: ${DEFAULT-VALUE})")
  int durationSeconds = 20;

  @Option(
      names = "--warmup",
      description =
          "seconds of paid, then as many of unpaid calls, before the measured windows (default:"
              + " ${DEFAULT-VALUE})")
  int warmupSeconds = 5;

  @Option(
      names = "--clients",
      description =
          "clients, each with a channel and a connection (default: ${DEFAULT-VALUE}: on 2 cores paid"
              + " calls per second peak there, and more clients only wait longer in the queue)")
  int clients = DEFAULT_CLIENTS;

  /**
   * Closed-loop clients by default: the knee of the curve on the 2-core machine, where a client
   * more adds latency but no throughput (BENCHMARKS.md, "Serving", session 18's sweep of 16-64).
   */
  static final int DEFAULT_CLIENTS = 32;

  @Option(
      names = "--claim-threshold",
      description =
          "the provider's serving.claimThreshold: it claims a channel (pausing its calls until the"
              + " claim commits) when this many tokens are unclaimed (default: the node's, "
              + NodeConfig.Serving.DEFAULT_CLAIM_THRESHOLD
              + ")")
  long claimThreshold = NodeConfig.Serving.DEFAULT_CLAIM_THRESHOLD;

  /** How the bench's clients write a row: JSON decimals, or the compact base64 float32 form. */
  enum RowFormat {
    decimal,
    compact
  }

  @Option(
      names = "--rows",
      description =
          "how each call's 784 pixels are written: decimal (a JSON array of numbers, three"
              + " decimals each) or compact (a string, base64 of little-endian float32)"
              + " (default: ${DEFAULT-VALUE})")
  RowFormat rowFormat = RowFormat.decimal;

  @Option(
      names = "--presign",
      description =
          "vouchers each client signs before the timed windows, under its channel's nonce and the"
              + " next (a claim reopens the channel under it), so that the clients' own signing"
              + " leaves the measured loop; calls beyond them sign as they go. 0: every call signs"
              + " its voucher in the loop, as a real client does (default: ${DEFAULT-VALUE})")
  int presign = 0;

  @Option(
      names = "--base-port",
      description =
          "the provider listens on 127.0.0.1:BASE (API), BASE+1 (Raft), BASE+2 (blobs) (default:"
              + " ${DEFAULT-VALUE})")
  int basePort = 7960;

  private static final long PRICE = 1;

  /** Measured windows per side: the duration is split into this many paid and as many unpaid. */
  private static final int WINDOWS = 4;

  @Override
  public Integer call() throws Exception {
    validate();
    Path dir = Files.createTempDirectory("fedledger-bench-serve-");
    Map<String, Object> result;
    try {
      result = run(dir);
    } finally {
      FileTrees.delete(dir);
    }
    String out =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
    Path parent = json.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(json, out + "\n", StandardCharsets.UTF_8);
    System.out.println(out);
    return Boolean.TRUE.equals(result.get("tokens_conserved")) ? 0 : 1;
  }

  private Map<String, Object> run(Path dir) throws Exception {
    log("starting the provider and training its model (one round) ...");
    try (ServeNetwork net =
            ServeNetwork.builder()
                .setDir(dir.resolve("net"))
                .setBasePort(basePort)
                .optClients(clients)
                .optPricePerCall(PRICE)
                .optServing(new NodeConfig.Serving(claimThreshold, null, null))
                .start(Duration.ofMinutes(5));
        CloseableHttpClient http = PredictLoad.client(clients)) {
      log("model %s offered; %d channels open", net.modelId(), clients);
      List<byte[]> bodies = bodies(net.samples(), rowFormat);
      List<PredictLoad.Payer> payers = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        payers.add(
            new PredictLoad.Payer(
                net.clients().get(i), net.chainId(), net.channels().get(i), PRICE));
      }
      if (presign > 0) {
        log("presigning %d vouchers per client and nonce ...", presign);
        payers.parallelStream().forEach(p -> p.presign(presign, 2));
      }
      Duration warmup = Duration.ofSeconds(warmupSeconds);
      // The measured time in alternating windows, paid then unpaid, so that both see the same
      // neighbours and the same compiled code: measured one after the other, the first window paid
      // for the JIT's compiling of the HTTP stack both share, and drift on a busy machine fell on
      // one side only.
      Duration window = Duration.ofMillis(1000L * durationSeconds / WINDOWS);
      URI paidUrl = URI.create(net.apiUrl() + "/v1/models/" + net.modelId() + "/predict");
      PredictLoad paidLoad = new PredictLoad(http, paidUrl, bodies);
      try (Serving free = unpaidServing(net, dir.resolve("unpaid"));
          ApiServer freeApi = unpaidApi(net.provider(), free)) {
        URI freeUrl =
            URI.create(
                "http://127.0.0.1:" + freeApi.port() + "/v1/models/" + net.modelId() + "/predict");
        PredictLoad unpaidLoad = new PredictLoad(http, freeUrl, bodies);
        log(
            "warm-up: %d s of paid calls, then %d s of unpaid calls (no voucher check) ...",
            warmupSeconds, warmupSeconds);
        paidLoad.run(payers, clients, Duration.ZERO, warmup);
        unpaidLoad.run(null, clients, Duration.ZERO, warmup);
        log(
            "measuring: %d windows of %.1f s each, paid and unpaid in turn ...",
            2 * WINDOWS, window.toMillis() / 1000.0);
        List<PredictLoad.Measured> paidWindows = new ArrayList<>();
        List<PredictLoad.Measured> unpaidWindows = new ArrayList<>();
        long paidCpuNanos = 0;
        long unpaidCpuNanos = 0;
        ServeMetrics paidMetrics = net.provider().serving().metrics();
        ServeMetrics.Tally paidForwards = paidMetrics.forwardPasses();
        ServeMetrics.Tally unpaidForwards = free.metrics().forwardPasses();
        ServeMetrics.Tally paidSyncs = paidMetrics.voucherSyncs();
        for (int w = 0; w < WINDOWS; w++) {
          CpuAccounting cpu = CpuAccounting.start();
          paidWindows.add(paidLoad.run(payers, clients, Duration.ZERO, window));
          paidCpuNanos += cpu.processNanos();
          cpu = CpuAccounting.start();
          unpaidWindows.add(unpaidLoad.run(null, clients, Duration.ZERO, window));
          unpaidCpuNanos += cpu.processNanos();
        }
        PredictLoad.Measured paid = PredictLoad.Measured.sum(paidWindows);
        PredictLoad.Measured unpaid = PredictLoad.Measured.sum(unpaidWindows);
        LatencyStats paidStats = LatencyStats.ofNanos(paid.latencyNanos());
        LatencyStats unpaidStats = LatencyStats.ofNanos(unpaid.latencyNanos());
        log(
            "paid: %.0f calls/s, p50 %.2f ms, p99 %.2f ms, %d refused, %d resent after claims;"
                + " process CPU %.1f s",
            paid.callsPerSecond(),
            paidStats.p50Ms(),
            paidStats.p99Ms(),
            paid.errors(),
            paid.retries(),
            paidCpuNanos / 1e9);
        log(
            "unpaid: %.0f calls/s, p50 %.2f ms, p99 %.2f ms, %d refused; process CPU %.1f s",
            unpaid.callsPerSecond(),
            unpaidStats.p50Ms(),
            unpaidStats.p99Ms(),
            unpaid.errors(),
            unpaidCpuNanos / 1e9);
        log("claiming every channel ...");
        net.provider().claims().claimAll();
        Map<String, Object> r = result(net, payers, paid, paidStats, unpaid, unpaidStats);
        // CPU per call, clients included (they share the process): unlike calls per second, it
        // hardly moves with what else the machine runs, so it compares runs on a busy machine.
        r.put("paid_cpu_us_per_call", round(paidCpuNanos / 1e3 / Math.max(1, paid.calls())));
        r.put("unpaid_cpu_us_per_call", round(unpaidCpuNanos / 1e3 / Math.max(1, unpaid.calls())));
        // Rows per forward pass: a forward pass costs several times more per row alone than in a
        // batch of 16, so a side whose calls reach the batcher more spread out pays more per call.
        r.put("paid_rows_per_forward", round(paidMetrics.forwardPasses().meanSince(paidForwards)));
        r.put(
            "unpaid_rows_per_forward",
            round(free.metrics().forwardPasses().meanSince(unpaidForwards)));
        // Vouchers per synced write of the provider's store (its group commit), measured windows.
        r.put("paid_vouchers_per_sync", round(paidMetrics.voucherSyncs().meanSince(paidSyncs)));
        return r;
      }
    }
  }

  private Map<String, Object> result(
      ServeNetwork net,
      List<PredictLoad.Payer> payers,
      PredictLoad.Measured paid,
      LatencyStats paidStats,
      PredictLoad.Measured unpaid,
      LatencyStats unpaidStats) {
    long deposited = 0;
    long claimed = 0;
    long refunded = 0;
    long locked = 0;
    for (int i = 0; i < clients; i++) {
      Channel c = net.channel(i);
      deposited += c.getTotalDeposited();
      claimed += c.getTotalClaimed();
      refunded += c.getTotalRefunded();
      locked += c.getDeposit();
    }
    long answeredTokens = payers.stream().mapToLong(PredictLoad.Payer::paid).sum();
    Ledger ledger = net.ledger();
    long royalties =
        ledger.query(q -> ledger.market().royalties(q, net.modelId())).stream()
            .mapToLong(RoyaltyPayment::getAmount)
            .sum();
    boolean conserved = deposited == claimed + refunded + locked;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("paid_calls_per_s", round(paid.callsPerSecond()));
    r.put("paid_p50_ms", paidStats.p50Ms());
    r.put("paid_p99_ms", paidStats.p99Ms());
    r.put("unpaid_calls_per_s", round(unpaid.callsPerSecond()));
    r.put("claims", Math.round(net.provider().serving().metrics().claims()));
    r.put("royalties_paid", royalties);
    r.put("tokens_conserved", conserved);
    r.put("unpaid_p50_ms", unpaidStats.p50Ms());
    r.put("unpaid_p99_ms", unpaidStats.p99Ms());
    r.put("paid_over_unpaid", Math.round(100 * paid.calls() / (double) unpaid.calls()) / 100.0);
    r.put("clients", clients);
    r.put("duration_s", durationSeconds);
    r.put("paid_calls", paid.calls());
    r.put("paid_refused", paid.errors());
    r.put("paid_resent_after_claims", paid.retries());
    r.put("rows", rowFormat.name());
    r.put("presigned_per_client_and_nonce", presign);
    r.put("paid_signed_in_loop", payers.stream().mapToLong(PredictLoad.Payer::signedInLoop).sum());
    r.put("unpaid_calls", unpaid.calls());
    r.put("deposited", deposited);
    r.put("claimed", claimed);
    r.put("refunded", refunded);
    r.put("locked", locked);
    // Every answered call (warm-up included) was claimed: the provider lost nothing it served.
    r.put("claimed_equals_answered", claimed == answeredTokens);
    r.put("cores", Runtime.getRuntime().availableProcessors());
    return r;
  }

  /** The same model on the same node's ledger and blobs, every call answered without payment. */
  private static Serving unpaidServing(ServeNetwork net, Path dir) throws IOException {
    var key = net.nodes().validatorKey(0);
    BlobSource blobs =
        new BlobSource(
            new BlobClient(key, new BlobStore(dir.resolve("blobs")), Clock.systemUTC()),
            List.of(net.nodes().blobUrl(0)));
    FedledgerNode node = net.provider();
    return Serving.builder()
        .setLedger(node.consensus()::ledger)
        .setKey(key)
        .setBlobs(blobs)
        .setDataDir(dir.resolve("vouchers"))
        .setMeterRegistry(new SimpleMeterRegistry())
        .optRequirePayment(false)
        .build();
  }

  private static ApiServer unpaidApi(FedledgerNode node, Serving serving) {
    return new ApiServer(new ConsensusBackend(node.consensus()), new NodeMetrics(() -> 0, () -> 0))
        .withServing(serving)
        .start(HostPort.parse("127.0.0.1:0"));
  }

  /**
   * One request body per sample: {"rows": [[784 pixel values]]}, three decimals each, or {"rows":
   * ["base64 of 784 little-endian float32"]}.
   */
  private static List<byte[]> bodies(LabeledData samples, RowFormat format) {
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      float[] x = samples.features(i);
      if (format == RowFormat.compact) {
        ByteBuffer row = ByteBuffer.allocate(Float.BYTES * x.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
          row.putFloat(v);
        }
        String base64 = Base64.getEncoder().encodeToString(row.array());
        bodies.add(("{\"rows\":[\"" + base64 + "\"]}").getBytes(StandardCharsets.UTF_8));
        continue;
      }
      StringBuilder b = new StringBuilder("{\"rows\":[[");
      for (int j = 0; j < x.length; j++) {
        if (j > 0) {
          b.append(',');
        }
        b.append(String.format(Locale.ROOT, "%.3f", x[j]));
      }
      bodies.add(b.append("]]}").toString().getBytes(StandardCharsets.UTF_8));
    }
    return bodies;
  }

  private void validate() {
    if (durationSeconds < 1 || warmupSeconds < 0) {
      throw new IllegalArgumentException("--duration must be at least 1 s, --warmup at least 0");
    }
    if (clients < 1 || clients > 1024) {
      throw new IllegalArgumentException("--clients must be 1-1024, got " + clients);
    }
    if (claimThreshold < 1) {
      throw new IllegalArgumentException("--claim-threshold must be at least 1 token");
    }
    if (presign < 0 || presign > 1_000_000) {
      throw new IllegalArgumentException(
          "--presign must be 0-1000000 vouchers per client and nonce, got " + presign);
    }
    if (basePort < 1024 || basePort > 65532) {
      throw new IllegalArgumentException("--base-port must be 1024-65532, got " + basePort);
    }
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "bench: " + format + "%n", args);
  }
}
