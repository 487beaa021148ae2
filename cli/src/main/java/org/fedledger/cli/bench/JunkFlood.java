package org.fedledger.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TransactionCodec;

/**
 * One funded key that floods a node with junk through the node's REST API at full speed, on one
 * thread, while the benchmark's honest transfers run (issue #21): every kind a member could send
 * for free, over HTTP as an attacker must (the node's in-process consensus layer is no attacker's
 * door). Batches of 1,000 mix transfers with a junk signature and an in-window nonce (each costs
 * the node a signature check), validly signed transfers parked behind a nonce gap (admitted up to
 * the sender's share, then expired), nonces far ahead, payloads padded with unknown fields to 60
 * KiB, transactions for another chain and undecodable bytes, 20,000 of them made and encoded in
 * advance and sent round and round, so that the flooder spends its CPU on sending, not on making
 * junk. It ignores Retry-After: a 429 is followed at once by the next batch. Nothing it sends can
 * execute: its nonce 0 is never sent.
 *
 * <p>Its own threads are named junk-flood*, so the benchmark can tell the attacker's CPU from the
 * node's: in this process both share the machine's cores, which a remote attacker's would not.
 */
final class JunkFlood implements AutoCloseable {
  private static final int BATCH = 1_000;

  /** Distinct junk transactions, made before the flood so that it spends no CPU making them. */
  private static final int PREPARED = 20_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Ed25519KeyPair key =
      Ed25519KeyPair.fromSeed(
          Sha256.hash("fedledger/bench/flooder".getBytes(StandardCharsets.UTF_8)).toByteArray());
  private final String chainId;
  private final List<byte[]> parked = new ArrayList<>();

  /** PREPARED junk transactions as batch bodies of BATCH each (varint-length-delimited). */
  private final List<byte[]> bodies = new ArrayList<>();

  // Written by the flooding thread only; read after close.
  private final Map<String, Long> answers = new TreeMap<>();
  private long sent;
  private long requests;
  private long throttled;
  private long admitted;

  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;
  private final ExecutorService httpThreads;
  private HttpClient http;
  private URI batchUri;

  JunkFlood(String chainId) {
    this.chainId = chainId;
    for (long nonce = 1; nonce < 64; nonce++) {
      parked.add(TransactionCodec.sign(transfer(nonce, 1).build(), key).toByteArray());
    }
    SplittableRandom random = new SplittableRandom(21);
    List<byte[]> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < PREPARED; i++) {
      batch.add(junk(i % 10, random));
      if (batch.size() == BATCH) {
        bodies.add(delimited(batch));
        batch.clear();
      }
    }
    AtomicInteger n = new AtomicInteger();
    this.httpThreads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "junk-flood-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.thread = new Thread(this::flood, "junk-flood");
    thread.setDaemon(true);
  }

  /** The flooder's account, which genesis must fund so that its junk passes the funding rule. */
  Address address() {
    return key.publicKey().address();
  }

  /**
   * Floods the node whose API is at apiUrl (e.g. http://127.0.0.1:7940) until closed; ssl, if not
   * null, is the client's TLS context (a member's certificate, for a members-only API).
   */
  void start(String apiUrl, SSLContext ssl) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(httpThreads);
    if (ssl != null) {
      b.sslContext(ssl);
    }
    this.http = b.build();
    this.batchUri = URI.create(apiUrl + "/v1/transactions/batch");
    thread.start();
  }

  private void flood() {
    int next = 0;
    while (!stop.get()) {
      byte[] body = bodies.get(next);
      next = (next + 1) % bodies.size();
      HttpRequest request =
          HttpRequest.newBuilder(batchUri)
              .header("Content-Type", "application/octet-stream")
              .timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      requests++;
      sent += BATCH;
      try {
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 200) {
          count(JSON.readTree(r.body()));
        } else if (r.statusCode() == 429) {
          throttled++;
        } else {
          answers.merge("HTTP " + r.statusCode(), (long) BATCH, Long::sum);
        }
      } catch (IOException e) {
        answers.merge("unsent (" + e.getClass().getSimpleName() + ")", (long) BATCH, Long::sum);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void count(JsonNode reply) {
    for (JsonNode r : reply.path("results")) {
      if (r.path("accepted").asBoolean()) {
        admitted++;
      } else {
        answers.merge(r.path("error").path("code").asText("?"), 1L, Long::sum);
      }
    }
  }

  private byte[] junk(int kind, SplittableRandom random) {
    switch (kind) {
      case 0:
      case 1:
      case 2:
      case 3: // a random signature: the node must check it to refuse it
        byte[] signature = new byte[64];
        random.nextBytes(signature);
        return SignedTransaction.newBuilder()
            .setBody(
                transfer(1 + random.nextInt(63), 1 + random.nextInt(1_000)).build().toByteString())
            .setSignature(ByteString.copyFrom(signature))
            .build()
            .toByteArray();
      case 4:
        return parked.get(random.nextInt(parked.size()));
      case 5:
        return sign(transfer(1_000 + random.nextInt(1_000_000), 1));
      case 6:
        Transfer padded =
            Transfer.newBuilder()
                .setTo(key.publicKey().address().toByteString())
                .setAmount(1)
                .setUnknownFields(
                    UnknownFieldSet.newBuilder()
                        .addField(
                            99,
                            UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFrom(new byte[60 * 1024]))
                                .build())
                        .build())
                .build();
        return sign(transfer(1 + random.nextInt(63), 1).setPayload(padded.toByteString()));
      case 7:
        return sign(transfer(1 + random.nextInt(63), 1).setChainId("elsewhere"));
      default:
        byte[] garbage = new byte[200];
        random.nextBytes(garbage);
        return garbage;
    }
  }

  /** A batch body as POST /v1/transactions/batch reads it: each entry varint-length-prefixed. */
  private static byte[] delimited(List<byte[]> txs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    try {
      for (byte[] tx : txs) {
        coded.writeUInt32NoTag(tx.length);
        coded.writeRawBytes(tx);
      }
      coded.flush();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  private byte[] sign(TxBody.Builder body) {
    return TransactionCodec.sign(body.build(), key).toByteArray();
  }

  private TxBody.Builder transfer(long nonce, long amount) {
    return TxBody.newBuilder()
        .setChainId(chainId)
        .setSenderPublicKey(key.publicKey().toByteString())
        .setNonce(nonce)
        .setModule(TransferWorkload.BANK)
        .setMessageType(TransferWorkload.TRANSFER)
        .setPayload(
            Transfer.newBuilder()
                .setTo(key.publicKey().address().toByteString())
                .setAmount(amount)
                .build()
                .toByteString());
  }

  /**
   * What the flood sent and how the node answered, e.g. "12000 junk transactions sent in 12
   * requests, 10 of them refused whole (429) ...". Call after {@link #close}.
   */
  String summary() {
    StringBuilder s =
        new StringBuilder()
            .append(sent)
            .append(" junk transactions sent in ")
            .append(requests)
            .append(" requests of ")
            .append(BATCH)
            .append(", ")
            .append(throttled)
            .append(" of them refused whole with 429 (")
            .append(throttled * BATCH)
            .append(" junk unread); of the rest ")
            .append(admitted)
            .append(" admitted");
    answers.forEach((answer, n) -> s.append(", ").append(n).append(' ').append(answer));
    return s.toString();
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    if (thread.isAlive()) {
      thread.join(60_000);
    }
    httpThreads.shutdownNow();
  }
}
