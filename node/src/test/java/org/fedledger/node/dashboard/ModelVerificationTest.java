package org.fedledger.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.node.api.verify.ModelVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/models/{id}/verification} on a seeded two-validator network whose dashboard node
 * has a blob store: an honest model is valid, a model one of whose blobs no longer matches its hash
 * is invalid saying which, unknown and malformed ids are refused, and the node's own API (no blob
 * store) says why it cannot verify.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModelVerificationTest {
  @TempDir static Path dir;
  static SeededNetwork net;
  static Hash honest;
  static Hash tampered;
  static String tamperedUpdate;

  @BeforeAll
  static void seedAnHonestModelAndOneWithACorruptBlob() throws Exception {
    net = SeededNetwork.start(dir, 4);
    Ed25519KeyPair sponsor = net.accounts.get(0);
    List<Ed25519KeyPair> owners = net.accounts.subList(1, 4);
    TrainingSeed seed = new TrainingSeed(net);
    seed.registerDatasets("lab", owners);
    honest = seed.createJoinStart(sponsor, "lab", owners, 2);
    seed.playRound(honest, 1, owners, null);
    seed.playRound(honest, 2, owners, owners.get(2));

    List<Ed25519KeyPair> two = owners.subList(0, 2);
    seed.registerDatasets("clinic", two);
    tampered = seed.createJoinStart(sponsor, "clinic", two, 2);
    seed.playRound(tampered, 1, two, null);
    // Disk corruption after the round was committed, before the model is registered.
    Hash update = Hash.of(seed.round(tampered, 1).getSubmissions(0).getUpdateHash());
    tamperedUpdate = update.toHex();
    Path file = net.blobs.dir().resolve(tamperedUpdate);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
    seed.playRound(tampered, 2, two, null);
  }

  @AfterAll
  static void stop() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void anHonestModelIsValidWithEveryRoundReplayed() throws Exception {
    JsonNode v = verdict(net.baseUrl(), honest.toHex());
    assertThat(v.get("status").asText()).as(v.toString()).isEqualTo("valid");
    assertThat(v.get("modelId").asText()).isEqualTo(honest.toHex());
    assertThat(v.get("problems")).isEmpty();
    assertThat(v.get("checkedAtHeight").asLong()).isPositive();
    assertThat(v.get("rounds")).hasSize(2);
    for (JsonNode r : v.get("rounds")) {
      assertThat(r.get("status").asText()).isEqualTo("valid");
      assertThat(r.get("aggregateHash").asText()).hasSize(64);
    }
    // Cached: the same verdict again, at once.
    assertThat(get(net.baseUrl(), "/v1/models/" + honest.toHex() + "/verification", 200))
        .isEqualTo(v);
  }

  @Test
  void aBlobThatNoLongerMatchesItsHashMakesTheModelInvalidSayingWhich() throws Exception {
    JsonNode v = verdict(net.baseUrl(), tampered.toHex());
    assertThat(v.get("status").asText()).as(v.toString()).isEqualTo("invalid");
    assertThat(v.at("/problems/0").asText())
        .isEqualTo(
            "round 1 update "
                + tamperedUpdate
                + " does not hash to its name: the stored copy is corrupt");
    assertThat(v.at("/rounds/0/status").asText()).isEqualTo("invalid");
    assertThat(v.at("/rounds/1/status").asText()).isEqualTo("valid");
  }

  @Test
  void unknownAndMalformedModelIdsAreRefused() throws Exception {
    JsonNode unknown = get(net.baseUrl(), "/v1/models/no-such-model/verification", 404);
    assertThat(unknown.at("/error/message").asText()).isEqualTo("no model no-such-model");
    JsonNode bad = get(net.baseUrl(), "/v1/models/%21bad/verification", 400);
    assertThat(bad.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(bad.at("/error/message").asText()).contains("[A-Za-z0-9._:-]", "!bad");
  }

  @Test
  void aNodeWithoutABlobStoreSaysItCannotVerify() throws Exception {
    JsonNode v = get(net.plainUrl(), "/v1/models/" + honest.toHex() + "/verification", 200);
    assertThat(v.get("status").asText()).isEqualTo("unavailable");
    assertThat(v.get("problems")).hasSize(1);
    assertThat(v.at("/problems/0").asText()).isEqualTo(ModelVerifier.NO_BLOB_STORE);
    assertThat(v.get("checkedAtHeight").isNull()).isTrue();
  }

  @Test
  void aNewlyRegisteredModelIsVerifiedUnaskedAndItsVerdictAnnouncedOnTheEventStream()
      throws Exception {
    HttpRequest subscribe =
        HttpRequest.newBuilder(URI.create(net.baseUrl() + "/v1/events"))
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<Stream<String>> events = HTTP.send(subscribe, HttpResponse.BodyHandlers.ofLines());
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (Stream<String> s = events.body()) {
                    s.forEach(lines::add);
                  } catch (RuntimeException e) {
                    // the stream is closed when the test ends
                  }
                });
    try {
      assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo(": subscribed");
      TrainingSeed seed = new TrainingSeed(net);
      List<Ed25519KeyPair> one = net.accounts.subList(3, 4);
      seed.registerDatasets("solo", one);
      Hash job = seed.createJoinStart(net.accounts.get(0), "solo", one, 1);
      seed.playRound(job, 1, one, null);
      String expected = "data: {\"modelId\":\"" + job.toHex() + "\",\"status\":\"valid\"}";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      String previous = "";
      while (true) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertThat(line)
            .as(
                "no valid verification event for model %s, whose verdict is %s",
                job.toHex(), get(net.baseUrl(), "/v1/models/" + job.toHex() + "/verification", 200))
            .isNotNull();
        if (previous.equals("event: verification") && line.equals(expected)) {
          break;
        }
        previous = line;
      }
    } finally {
      events.body().close();
      reader.interrupt();
    }
  }

  // ---- helpers ----

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Asks until the verdict is no longer pending. */
  private static JsonNode verdict(String base, String modelId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      JsonNode v = get(base, "/v1/models/" + modelId + "/verification", 200);
      if (!v.get("status").asText().equals("pending") || System.nanoTime() > deadline) {
        return v;
      }
      Thread.sleep(50);
    }
  }

  private static JsonNode get(String base, String path, int status) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(status);
    return JSON.readTree(r.body());
  }
}
