package org.fedledger.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.market.Vouchers;
import org.fedledger.core.proto.market.Voucher;
import org.fedledger.node.serve.PredictHandler;

/**
 * A closed loop of predict calls over HTTP: each connection is one client that sends a request,
 * waits for its answer and sends the next, for a warm-up and then a measured window. A paying
 * client signs a voucher for each call (its previous amount plus the price) as a real one does, and
 * follows the provider's claims: a call refused while its channel is being claimed is sent again, a
 * call refused for a stale nonce continues from amount 0 under the nonce the refusal names.
 */
final class PredictLoad {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CLAIM_RETRY = Duration.ofMillis(10);

  /** How long after its window a run waits for its last calls before it gives up on them. */
  private static final Duration HUNG_CALL = Duration.ofSeconds(60);

  /** What one window measured: answered calls, their latencies, and what went wrong. */
  record Measured(long calls, long[] latencyNanos, long errors, long retries, double seconds) {
    double callsPerSecond() {
      return calls / seconds;
    }

    /** Several windows taken together: their calls, latencies, errors and seconds added up. */
    static Measured sum(List<Measured> windows) {
      long[] latencies =
          windows.stream().flatMapToLong(m -> Arrays.stream(m.latencyNanos())).toArray();
      return new Measured(
          windows.stream().mapToLong(Measured::calls).sum(),
          latencies,
          windows.stream().mapToLong(Measured::errors).sum(),
          windows.stream().mapToLong(Measured::retries).sum(),
          windows.stream().mapToDouble(Measured::seconds).sum());
    }
  }

  /** One client's channel and where its vouchers are; null channel for unpaid calls. */
  static final class Payer {
    private final Ed25519KeyPair key;
    private final String chainId;
    private final Hash channel;
    private final long price;
    private long nonce;
    private long amount;
    private long paid;
    // Vouchers signed before the timed windows, by nonce: element i is for amount (i + 1) * price.
    private final Map<Long, String[]> presigned = new HashMap<>();
    private long signedInLoop;

    Payer(Ed25519KeyPair key, String chainId, Hash channel, long price) {
      this.key = key;
      this.chainId = chainId;
      this.channel = channel;
      this.price = price;
    }

    /**
     * Signs, ahead of the calls, the first count vouchers under the current nonce and under each of
     * the next nonces - 1 (a claim with reopen moves the channel to the next nonce), as a client on
     * another machine would have spent its own time on them.
     */
    void presign(int count, int nonces) {
      for (long n = nonce; n < nonce + nonces; n++) {
        String[] vouchers = new String[count];
        for (int i = 0; i < count; i++) {
          vouchers[i] = sign(n, (i + 1) * price);
        }
        presigned.put(n, vouchers);
      }
    }

    /** The next call's voucher, base64 of a SignedVoucher: presigned if it was, else signed now. */
    String next() {
      String[] ready = presigned.get(nonce);
      long index = amount / price;
      if (ready != null && index < ready.length) {
        return ready[(int) index];
      }
      signedInLoop++;
      return sign(nonce, amount + price);
    }

    private String sign(long voucherNonce, long voucherAmount) {
      Voucher v =
          Voucher.newBuilder()
              .setChainId(chainId)
              .setChannelId(channel.toByteString())
              .setNonce(voucherNonce)
              .setAmount(voucherAmount)
              .build();
      return Base64.getEncoder().encodeToString(Vouchers.sign(key, v).toByteArray());
    }

    /** Vouchers signed during the calls, for want of a presigned one. */
    long signedInLoop() {
      return signedInLoop;
    }

    void accepted() {
      amount += price;
      paid += price;
    }

    void reopened(long newNonce) {
      nonce = newNonce;
      amount = 0;
    }

    /** Tokens of every answered call, over all nonces. */
    long paid() {
      return paid;
    }
  }

  /** An answer's status and body. */
  private record Reply(int status, byte[] body) {}

  private final CloseableHttpClient http;
  private final URI predict;
  private final List<byte[]> bodies;

  /**
   * The clients' HTTP/1.1 connections: Apache HttpClient's blocking client, one kept-alive
   * connection per client, on the clients' virtual threads. It costs less CPU per call than the
   * JDK's HttpClient, whose selector thread and hand-offs between threads were a fifth of the
   * bench's CPU, so that more of the machine goes to the provider under test.
   */
  static CloseableHttpClient client(int connections) {
    return HttpClients.custom()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(connections)
                .setMaxConnPerRoute(connections)
                // No read timeout: a blocking read with one parks its virtual thread with a
                // timeout, and each such park wakes the JDK's timer thread twice. A call that
                // hangs is caught by run's deadline instead.
                .setDefaultSocketConfig(
                    SocketConfig.custom().setSoTimeout(Timeout.DISABLED).build())
                .build())
        .setDefaultRequestConfig(
            RequestConfig.custom().setResponseTimeout(Timeout.DISABLED).build())
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .build();
  }

  PredictLoad(CloseableHttpClient http, URI predict, List<byte[]> bodies) {
    this.http = http;
    this.predict = predict;
    this.bodies = List.copyOf(bodies);
  }

  /**
   * Runs one client per payer (or connections unpaid ones, if payers is null) for warmup, then
   * measures for duration.
   */
  Measured run(List<Payer> payers, int connections, Duration warmup, Duration duration)
      throws InterruptedException {
    int clients = payers == null ? connections : payers.size();
    long start = System.nanoTime();
    long from = start + warmup.toNanos();
    long until = from + duration.toNanos();
    AtomicLong errors = new AtomicLong();
    AtomicLong retries = new AtomicLong();
    List<Future<long[]>> results = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        Payer payer = payers == null ? null : payers.get(c);
        int first = c;
        results.add(threads.submit(() -> loop(payer, first, from, until, errors, retries)));
      }
      List<long[]> all = new ArrayList<>();
      long deadline = until + HUNG_CALL.toNanos();
      for (Future<long[]> f : results) {
        try {
          all.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("a client failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
          // Interrupting a virtual thread blocked on a socket closes the socket.
          threads.shutdownNow();
          throw new IllegalStateException(
              "a call had no answer " + HUNG_CALL.toSeconds() + " s after the window ended", e);
        }
      }
      long[] latencies = all.stream().flatMapToLong(Arrays::stream).toArray();
      return new Measured(
          latencies.length, latencies, errors.get(), retries.get(), duration.toNanos() / 1e9);
    }
  }

  /** One client's calls; returns the latencies of those sent within [from, until). */
  private long[] loop(
      Payer payer, int offset, long from, long until, AtomicLong errors, AtomicLong retries)
      throws IOException, InterruptedException {
    long[] latencies = new long[1024];
    byte[] scratch = new byte[8192];
    int n = 0;
    for (int i = offset; ; i++) {
      long sent = System.nanoTime();
      if (sent >= until) {
        return Arrays.copyOf(latencies, n);
      }
      if (call(payer, bodies.get(i % bodies.size()), scratch, errors, retries) && sent >= from) {
        if (n == latencies.length) {
          latencies = Arrays.copyOf(latencies, 2 * n);
        }
        latencies[n++] = System.nanoTime() - sent;
      }
    }
  }

  /** One answered call, paying again after a claim if need be; false if it was refused. */
  private boolean call(
      Payer payer, byte[] body, byte[] scratch, AtomicLong errors, AtomicLong retries)
      throws IOException, InterruptedException {
    String voucher = payer == null ? null : payer.next();
    for (int attempt = 0; attempt < 100; attempt++) {
      HttpPost request = new HttpPost(predict);
      request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
      if (voucher != null) {
        request.setHeader(PredictHandler.VOUCHER_HEADER, voucher);
      }
      // An answered call's body is read into the client's scratch buffer and dropped, as load
      // generators do (wrk): copying it out allocated two arrays a call in the provider's own heap,
      // since the clients share its JVM.
      // A refusal's body is kept: it says what to do next.
      Reply r =
          http.execute(
              request,
              response -> {
                if (response.getCode() == 200) {
                  try (InputStream answer = response.getEntity().getContent()) {
                    while (answer.read(scratch) >= 0) {
                      // dropped
                    }
                  }
                  return new Reply(200, null);
                }
                return new Reply(response.getCode(), EntityUtils.toByteArray(response.getEntity()));
              });
      if (r.status() == 200) {
        if (payer != null) {
          payer.accepted();
        }
        return true;
      }
      JsonNode error = errorOf(r.body());
      String code = error.path("code").asText("");
      if (payer != null && code.equals("CLAIMING")) {
        retries.incrementAndGet();
        Thread.sleep(CLAIM_RETRY.toMillis());
      } else if (payer != null && code.equals("STALE_NONCE") && error.has("channelNonce")) {
        retries.incrementAndGet();
        payer.reopened(error.get("channelNonce").asLong());
        voucher = payer.next();
      } else {
        errors.incrementAndGet();
        if (errors.get() == 1) {
          System.err.printf("bench: a call was refused: %d %s%n", r.status(), error);
        }
        return false;
      }
    }
    errors.incrementAndGet();
    return false;
  }

  private static JsonNode errorOf(byte[] body) {
    try {
      return JSON.readTree(body).path("error");
    } catch (IOException e) {
      return JSON.createObjectNode().put("code", "NOT_JSON");
    }
  }
}
