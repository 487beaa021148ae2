package org.fedledger.node.dashboard;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.market.OpenChannel;
import org.fedledger.core.proto.market.PublishOffer;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.market.MarketMessages;
import org.fedledger.ledger.market.MarketModule;
import org.fedledger.node.ConsensusBackend;
import org.fedledger.node.agent.BlobSource;
import org.fedledger.node.agent.ChainAccess;
import org.fedledger.node.agent.TxSender;
import org.fedledger.node.api.ApiServer;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.metrics.NodeMetrics;
import org.fedledger.node.serve.ClaimAgent;
import org.fedledger.node.serve.Serving;

/**
 * The market on a {@link SeededNetwork} whose model {@link TrainingSeed} trained: the owner's
 * offer, clients' channels, and a provider serving the model over HTTP as a node with blobs serves
 * it (its weights from the network's blob store). Shared by the tests of the market's users: the
 * dashboard's Market page and the cli's predict command.
 */
public final class MarketSeed {
  /** Of each claim: 20 % to the provider, 30 % to the owner, 50 % to the contributors. */
  public static final long PROVIDER_PPM = 200_000;

  public static final long OWNER_PPM = 300_000;
  public static final long CONTRIBUTORS_PPM = 500_000;

  private final SeededNetwork net;

  public MarketSeed(SeededNetwork net) {
    this.net = net;
  }

  /** The owner offers modelId at price per call, served by provider, under the split above. */
  public void offer(Ed25519KeyPair owner, String modelId, long price, Ed25519KeyPair provider)
      throws InterruptedException {
    net.commit(
        net.tx(
            owner,
            MarketMessages.MODULE,
            MarketMessages.PUBLISH_OFFER,
            PublishOffer.newBuilder()
                .setModelId(modelId)
                .setPricePerCall(price)
                .addProviders(provider.publicKey().address().toByteString())
                .setProviderFeePpm(PROVIDER_PPM)
                .setOwnerSharePpm(OWNER_PPM)
                .setContributorsSharePpm(CONTRIBUTORS_PPM)
                .setLicence("CC-BY-4.0")
                .build()));
  }

  /** The client opens a channel to provider for blocks from now; its id. */
  public Hash open(
      Ed25519KeyPair client, String modelId, Ed25519KeyPair provider, long deposit, long blocks)
      throws InterruptedException {
    SignedTransaction open =
        net.tx(
            client,
            MarketMessages.MODULE,
            MarketMessages.OPEN_CHANNEL,
            OpenChannel.newBuilder()
                .setModelId(modelId)
                .setProvider(provider.publicKey().address().toByteString())
                .setDeposit(deposit)
                .setExpiryHeight(net.ledger().height() + blocks)
                .build());
    net.commit(open);
    return MarketModule.channelIdOf(TransactionCodec.hashOf(open));
  }

  /** Starts provider's serving and its API on a free loopback port; vouchers kept in dataDir. */
  public Provider startProvider(Ed25519KeyPair provider, Path dataDir) throws Exception {
    var consensus = net.node().consensus();
    Ledger ledger = consensus.ledger();
    Serving serving =
        Serving.builder()
            .setLedger(consensus::ledger)
            .setKey(provider)
            .setBlobs(
                new BlobSource(new BlobClient(provider, net.blobs, Clock.systemUTC()), List.of()))
            .setDataDir(dataDir)
            .setMeterRegistry(new SimpleMeterRegistry())
            .build();
    ApiServer api;
    try {
      api =
          new ApiServer(new ConsensusBackend(consensus), new NodeMetrics(() -> 0, ledger::height))
              .withServing(serving)
              .start(HostPort.parse("127.0.0.1:0"));
    } catch (RuntimeException e) {
      serving.close();
      throw e;
    }
    return new Provider(serving, api, new TxSender(provider, ChainAccess.of(consensus)));
  }

  /** A provider's serving and API; {@link #claimDue} claims as its node's agent would. */
  public record Provider(Serving serving, ApiServer api, TxSender tx) implements AutoCloseable {
    public String url() {
      return "http://127.0.0.1:" + api.port();
    }

    /** Claims every channel holding at least threshold unclaimed; the number of claims. */
    public int claimDue(long threshold) throws Exception {
      try (ClaimAgent agent = new ClaimAgent(serving, tx, threshold)) {
        return agent.claimDue();
      }
    }

    @Override
    public void close() {
      api.close();
      serving.close();
    }
  }
}
