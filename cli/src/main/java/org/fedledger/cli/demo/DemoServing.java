package org.fedledger.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.cli.channel.ChannelPayer;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.cli.local.LocalNodes;
import org.fedledger.cli.model.PredictCall;
import org.fedledger.cli.model.PredictInput;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.OpenChannel;
import org.fedledger.core.proto.market.PublishOffer;
import org.fedledger.core.proto.market.RoyaltyPayment;
import org.fedledger.learning.data.CsvTable;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.bank.BankModule;
import org.fedledger.ledger.market.MarketMessages;
import org.fedledger.ledger.market.MarketModule;
import org.fedledger.node.agent.TxSender;

/**
 * The demo's ending: its model in use. The sponsor offers the model, served by node 1 (its
 * validator key is the provider); a new client, funded by the sponsor, opens a channel and pays for
 * a few predictions through node 1's predict endpoint, one voucher per call; once the unclaimed
 * amount reaches the node's claim threshold its claim agent claims, which pays the provider's fee,
 * the owner's share and the contributors' royalties by the scores in the model's lineage. The
 * malicious owner, whose updates were all rejected, has no score and receives nothing.
 */
final class DemoServing {
  /** The provider: node 1, not the node the sponsor transacts through. */
  static final int PROVIDER_NODE = 1;

  /**
   * Price and calls: 10 calls at 100 reach 1,000, the claim threshold of a node's claim agent
   * (FedledgerNode), so the agent claims as it would in production, within a second or two.
   */
  static final long PRICE = 100;

  static final int CALLS = 10;
  static final long DEPOSIT = 2 * PRICE * CALLS;
  static final long EXPIRY_BLOCKS = 10_000;
  static final String SPLIT = "10:30:60";
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Rows to ask for, as the predict endpoint takes them, with their true classes' names. */
  record Sample(List<JsonNode> rows, List<String> truth, List<String> classNames) {
    /** The first count rows of a CSV table as named features, with their label column's value. */
    static Sample fromTable(Path csv, String label, List<String> classNames, int count)
        throws IOException {
      CsvTable table = CsvTable.read(csv);
      ArrayNode all = PredictInput.rowsOf(table, label);
      int column = table.column(label);
      List<JsonNode> rows = new ArrayList<>();
      List<String> truth = new ArrayList<>();
      for (int i = 0; i < Math.min(count, all.size()); i++) {
        rows.add(all.get(i));
        truth.add(table.rows().get(i).fields()[column]);
      }
      return new Sample(rows, truth, classNames);
    }
  }

  /**
   * What serving the model paid, as the summary and {@code --json} show it.
   *
   * @param correct calls whose predicted class was the row's true class
   * @param royalties per data owner, in the owners' order (0 for one without a score)
   */
  record Result(
      long pricePerCall,
      int calls,
      int correct,
      int validReceipts,
      String channelId,
      String provider,
      long claimed,
      long providerAmount,
      long ownerAmount,
      List<Royalty> royalties,
      double seconds) {}

  record Royalty(String id, String address, boolean malicious, long amount) {}

  private DemoServing() {}

  static Result run(LocalNodes net, String modelId, Sample sample, Path stateDir) throws Exception {
    long start = System.nanoTime();
    Ed25519KeyPair sponsor = net.adminKey();
    Ed25519KeyPair client = Ed25519KeyPair.generate();
    Address provider = net.validatorKey(PROVIDER_NODE).publicKey().address();
    TxSender owner = net.sender(sponsor, 0);
    owner.sendAndWait(
        MarketMessages.MODULE,
        MarketMessages.PUBLISH_OFFER,
        PublishOffer.newBuilder()
            .setModelId(modelId)
            .setPricePerCall(PRICE)
            .addProviders(provider.toByteString())
            .setProviderFeePpm(100_000)
            .setOwnerSharePpm(300_000)
            .setContributorsSharePpm(600_000)
            .setLicence("CC-BY-4.0")
            .build(),
        WAIT);
    owner.sendAndWait(
        BankModule.NAME,
        BankModule.TRANSFER,
        Transfer.newBuilder()
            .setTo(client.publicKey().address().toByteString())
            .setAmount(DEPOSIT)
            .build(),
        WAIT);
    TxSender clientTx = net.sender(client, 0);
    Hash openTx =
        clientTx
            .sendAndWait(
                MarketMessages.MODULE,
                MarketMessages.OPEN_CHANNEL,
                OpenChannel.newBuilder()
                    .setModelId(modelId)
                    .setProvider(provider.toByteString())
                    .setDeposit(DEPOSIT)
                    .setExpiryHeight(net.ledger().height() + EXPIRY_BLOCKS)
                    .build(),
                WAIT)
            .txHash();
    Hash channelId = MarketModule.channelIdOf(openTx);
    Ledger providerLedger = net.node(PROVIDER_NODE).consensus().ledger();
    await(() -> channel(providerLedger, channelId).isPresent(), "the provider to see the channel");

    NodeClient api = new NodeClient(net.apiUrl(PROVIDER_NODE));
    ChannelPayer payer = new ChannelPayer(api, stateDir, client);
    int correct = 0;
    int valid = 0;
    for (int i = 0; i < CALLS; i++) {
      ObjectNode body = NodeClient.JSON.createObjectNode();
      body.putArray("rows").add(sample.rows().get(i % sample.rows().size()));
      PredictCall.Outcome o =
          PredictCall.paid(api, modelId, NodeClient.JSON.writeValueAsBytes(body), payer, channelId)
              .send();
      if (o.refusal() != null) {
        throw new CommandFailedException("paid call " + (i + 1) + ": " + o.refusal());
      }
      int label = o.answer().path("predictions").path(0).path("label").asInt(-1);
      if (label >= 0
          && sample.classNames().get(label).equals(sample.truth().get(i % sample.rows().size()))) {
        correct++;
      }
      valid += o.receiptValid() ? 1 : 0;
    }
    Ledger ledger = net.ledger();
    await(
        () -> channel(ledger, channelId).map(c -> c.getTotalClaimed() > 0).orElse(false),
        "the provider's claim agent to claim");
    long claimed = channel(ledger, channelId).orElseThrow().getTotalClaimed();
    var claims = ledger.query(q -> ledger.market().claims(q, modelId, 0, 10));
    long providerAmount = claims.stream().mapToLong(c -> c.getProviderAmount()).sum();
    long ownerAmount = claims.stream().mapToLong(c -> c.getOwnerAmount()).sum();
    Map<String, Long> paid = new TreeMap<>();
    for (RoyaltyPayment r : ledger.query(q -> ledger.market().royalties(q, modelId))) {
      paid.put(Address.of(r.getContributor()).toHex(), r.getAmount());
    }
    List<Royalty> royalties = new ArrayList<>();
    for (int k = 0; k < net.owners().size(); k++) {
      String a = net.ownerKey(k).publicKey().address().toHex();
      royalties.add(
          new Royalty(
              net.owners().get(k).name(),
              a,
              net.owners().get(k).malicious(),
              paid.getOrDefault(a, 0L)));
    }
    return new Result(
        PRICE,
        CALLS,
        correct,
        valid,
        channelId.toHex(),
        provider.toHex(),
        claimed,
        providerAmount,
        ownerAmount,
        royalties,
        (System.nanoTime() - start) / 1e9);
  }

  static void print(Result r, PrintWriter out) {
    out.printf(
        "serving: the sponsor offered the model at %d per call (split %s), served by node-%d;"
            + " a client opened a channel%n",
        r.pricePerCall(), SPLIT, PROVIDER_NODE);
    out.printf(
        "  %d paid predictions through POST /v1/models/{id}/predict, one voucher each: %d of %d"
            + " predicted right, %d receipts valid%n",
        r.calls(), r.correct(), r.calls(), r.validReceipts());
    out.printf(
        Locale.ROOT,
        "  the provider's claim agent claimed %d: provider %d, owner %d, contributors %d (%.1f s)%n",
        r.claimed(),
        r.providerAmount(),
        r.ownerAmount(),
        r.royalties().stream().mapToLong(Royalty::amount).sum(),
        r.seconds());
    StringBuilder line = new StringBuilder("  royalties");
    for (Royalty k : r.royalties()) {
      line.append(
          String.format(
              Locale.ROOT, "  %s %d%s", k.id(), k.amount(), k.malicious() ? " (malicious)" : ""));
    }
    out.println(line);
  }

  private static Optional<Channel> channel(Ledger ledger, Hash id) {
    return ledger.query(q -> ledger.market().channel(q, id));
  }

  private static void await(java.util.function.BooleanSupplier done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new CommandFailedException(
            "serving: waited " + WAIT.toSeconds() + " s for " + what + "; see the demo's log");
      }
      Thread.sleep(50);
    }
  }
}
