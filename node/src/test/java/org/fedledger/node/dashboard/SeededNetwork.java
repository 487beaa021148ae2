package org.fedledger.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.TxRecord;
import org.fedledger.node.ConsensusBackend;
import org.fedledger.node.FedledgerNode;
import org.fedledger.node.agent.BlobSource;
import org.fedledger.node.api.ApiServer;
import org.fedledger.node.api.CommittedBlock;
import org.fedledger.node.api.verify.ModelVerifier;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.BlobStore;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.testing.TestNetworks;
import org.fedledger.node.testing.Transfers;

/**
 * A real two-validator network (Ratis over loopback, RocksDB) for the dashboard tests, with a way
 * to send signed transactions and wait until they are committed OK. Two validators, so that rounds
 * need an attestation from the validator that did not aggregate.
 *
 * <p>The dashboard under test ({@link #baseUrl}) is a second API server over the first node with a
 * blob store ({@link #blobs}, where {@link TrainingSeed} keeps the weights) and a {@link
 * ModelVerifier} over it, wired as a node with blobs wires it. The node's own API ({@link
 * #plainUrl}) has no blob store.
 */
public final class SeededNetwork implements AutoCloseable {
  public static final String CHAIN = "dashboard-test";

  final List<FedledgerNode> nodes = new ArrayList<>();
  public final List<Ed25519KeyPair> validators = new ArrayList<>();
  public final List<Ed25519KeyPair> accounts = new ArrayList<>();
  public BlobStore blobs;
  ApiServer api;
  private final Map<Address, Long> nonces = new HashMap<>();

  public static SeededNetwork start(Path dir, int accounts) throws Exception {
    SeededNetwork net = new SeededNetwork();
    try {
      NetworkInitializer.Network files =
          TestNetworks.create(dir.resolve("net"), CHAIN, 2, accounts, 1_000_000_000L);
      for (Path k : files.accountKeyFiles()) {
        net.accounts.add(KeyFile.load(k));
      }
      for (Path config : files.configFiles()) {
        net.validators.add(
            KeyFile.load(config.resolveSibling(NetworkInitializer.VALIDATOR_KEY_FILE)));
      }
      for (Path config : files.configFiles()) {
        net.nodes.add(FedledgerNode.start(config));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (net.nodes.stream().noneMatch(n -> n.consensus().isLeader())) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no leader elected within 20 s");
        }
        Thread.sleep(20);
      }
      net.startVerifyingApi(dir.resolve("blobs"));
      return net;
    } catch (Exception | AssertionError e) {
      net.close();
      throw e;
    }
  }

  private void startVerifyingApi(Path blobDir) {
    blobs = new BlobStore(blobDir);
    var consensus = node().consensus();
    BlobSource source =
        new BlobSource(new BlobClient(validators.get(0), blobs, Clock.systemUTC()), List.of());
    ApiServer server =
        new ApiServer(
            new ConsensusBackend(consensus),
            node().api().metrics(),
            new ModelVerifier(consensus::ledger, source));
    api = server.start(HostPort.parse("127.0.0.1:0"));
    consensus.addBlockListener(b -> server.blockCommitted(CommittedBlock.of(b)));
  }

  public FedledgerNode node() {
    return nodes.get(0);
  }

  public Ledger ledger() {
    return node().consensus().ledger();
  }

  /** GETs path from the node's API, asserting the status, and parses the body as JSON. */
  public JsonNode getJson(String path, int status) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(status);
    return new ObjectMapper().readTree(r.body());
  }

  /** The dashboard and API with a blob store and a model verifier. */
  public String baseUrl() {
    return "http://127.0.0.1:" + api.port();
  }

  /** The node's own API, without a blob store. */
  String plainUrl() {
    return "http://127.0.0.1:" + node().apiPort();
  }

  static Address address(Ed25519KeyPair key) {
    return key.publicKey().address();
  }

  static ByteString bytes(Address a) {
    return a.toByteString();
  }

  static ByteString hashOf(String text) {
    return Sha256.hash(text.getBytes(StandardCharsets.UTF_8)).toByteString();
  }

  public SignedTransaction tx(Ed25519KeyPair from, String module, String type, Message payload) {
    long nonce = nonces.computeIfAbsent(address(from), a -> ledger().account(a).nonce());
    nonces.put(address(from), nonce + 1);
    TxBody body =
        TxBody.newBuilder()
            .setChainId(CHAIN)
            .setSenderPublicKey(from.publicKey().toByteString())
            .setNonce(nonce)
            .setModule(module)
            .setMessageType(type)
            .setPayload(payload.toByteString())
            .build();
    return TransactionCodec.sign(body, from);
  }

  SignedTransaction transfer(Ed25519KeyPair from, Address to, long amount) {
    long nonce = nonces.computeIfAbsent(address(from), a -> ledger().account(a).nonce());
    nonces.put(address(from), nonce + 1);
    return Transfers.transfer(CHAIN, from, nonce, to, amount);
  }

  /** Submits the transactions together and waits until each is committed with status OK. */
  public List<TxRecord> commit(List<SignedTransaction> txs) throws InterruptedException {
    List<byte[]> encoded = txs.stream().map(SignedTransaction::toByteArray).toList();
    List<SubmitResult> results = node().consensus().submit(encoded);
    for (SubmitResult r : results) {
      assertThat(r.accepted()).as("admission of %s: %s", r.txHash(), r.message()).isTrue();
    }
    List<TxRecord> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (SubmitResult r : results) {
      Hash hash = r.txHash();
      TxRecord record;
      while ((record = ledger().transaction(hash).orElse(null)) == null) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("transaction " + hash + " not committed within 15 s");
        }
        Thread.sleep(10);
      }
      assertThat(record.receipt().getStatus())
          .as("receipt of %s: %s", hash, record.receipt().getError())
          .isEqualTo(ReceiptStatus.OK);
      out.add(record);
    }
    return out;
  }

  public TxRecord commit(SignedTransaction tx) throws InterruptedException {
    return commit(List.of(tx)).get(0);
  }

  @Override
  public void close() {
    if (api != null) {
      api.close();
      api = null;
    }
    for (FedledgerNode n : nodes) {
      n.close();
    }
    nodes.clear();
  }
}
