package org.fedledger.ledger.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.market.Vouchers;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.Claim;
import org.fedledger.core.proto.market.ClaimRecord;
import org.fedledger.core.proto.market.Offer;
import org.fedledger.core.proto.market.OpenChannel;
import org.fedledger.core.proto.market.PublishOffer;
import org.fedledger.core.proto.market.Refund;
import org.fedledger.core.proto.market.RoyaltyPayment;
import org.fedledger.core.proto.market.SignedVoucher;
import org.fedledger.core.proto.market.Voucher;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.training.JobDriver;
import org.fedledger.ledger.training.TrainingNet;

/**
 * A real ledger with a trained model on it, and the market's parties: sponsor 0 owns the model,
 * owners 1-4 trained it (4's updates were rejected every round, so it has no weight), providers 5
 * and 6 are allowed by the offer, 7 and 8 are clients, 9 is a provider the offer does not allow. In
 * each of the model's two rounds the accepted 1, 2 and 3, in address order, score 500,000, 300,000
 * and 200,000 ppm: weights 1,000,000, 600,000 and 400,000.
 */
final class MarketNet implements AutoCloseable {
  static final int OWNER = 0;
  static final int PROVIDER = 5;
  static final int OTHER_PROVIDER = 6;
  static final int CLIENT = 7;
  static final int OTHER_CLIENT = 8;
  static final int STRANGER = 9;
  static final int REJECTED = 4;
  static final long PRICE = 10;

  final TrainingNet net;
  final String modelId;

  MarketNet(Path dir) {
    this.net = new TrainingNet(dir);
    JobDriver d = new JobDriver(net);
    Hash job = d.createAndJoin(TrainingNet.job(2, 4, 80_000).setMinUpdates(3).build(), 1, 2, 3, 4);
    d.start();
    for (long r = 1; r <= 2; r++) {
      d.submitAll(r);
      ByteString aggregate = TrainingNet.hashBytes("aggregate:" + r);
      net.ok(
          d.aggregator(r),
          "training",
          "CommitRound",
          d.commit(r, aggregate, List.of(REJECTED), 500_000, 300_000));
      d.attestAll(r, aggregate);
    }
    this.modelId = net.job(job).getModelId();
    assertThat(modelId).as("the job registered its model").isNotEmpty();
  }

  static Address address(int i) {
    return TrainingNet.address(i);
  }

  static Ed25519KeyPair key(int i) {
    return TrainingNet.key(i);
  }

  /** The offer most tests use: price 10, providers 5 and 6, split 10% / 30% / 60%. */
  PublishOffer.Builder offer() {
    return PublishOffer.newBuilder()
        .setModelId(modelId)
        .setPricePerCall(PRICE)
        .addProviders(address(PROVIDER).toByteString())
        .addProviders(address(OTHER_PROVIDER).toByteString())
        .setProviderFeePpm(100_000)
        .setOwnerSharePpm(300_000)
        .setContributorsSharePpm(600_000)
        .setLicence("CC-BY-4.0");
  }

  Receipt send(int from, String type, Message payload) {
    return net.send(from, MarketMessages.MODULE, type, payload);
  }

  Receipt ok(int from, String type, Message payload) {
    return net.ok(from, MarketMessages.MODULE, type, payload);
  }

  /** Sends a message that must fail, and returns its error. */
  String refused(int from, String type, Message payload) {
    Receipt r = send(from, type, payload);
    assertThat(r.getStatus()).as("%s must be refused", type).isEqualTo(ReceiptStatus.FAILED);
    return r.getError();
  }

  /** Opens a channel from client to provider for expiryBlocks from now; returns its id. */
  Hash open(int client, int provider, long deposit, long expiryBlocks) {
    SignedTransaction tx =
        net.tx(
            client,
            MarketMessages.MODULE,
            MarketMessages.OPEN_CHANNEL,
            openChannel(provider, deposit, net.ledger().height() + 1 + expiryBlocks));
    Receipt r = net.block(tx).receipts().get(0);
    assertThat(r.getStatus()).as("OpenChannel: %s", r.getError()).isEqualTo(ReceiptStatus.OK);
    return MarketModule.channelIdOf(TransactionCodec.hashOf(tx));
  }

  OpenChannel openChannel(int provider, long deposit, long expiryHeight) {
    return OpenChannel.newBuilder()
        .setModelId(modelId)
        .setProvider(address(provider).toByteString())
        .setDeposit(deposit)
        .setExpiryHeight(expiryHeight)
        .build();
  }

  static SignedVoucher voucher(int client, Hash channel, long nonce, long amount) {
    return voucher(client, TrainingNet.CHAIN, channel, nonce, amount);
  }

  static SignedVoucher voucher(int signer, String chain, Hash channel, long nonce, long amount) {
    return Vouchers.sign(
        key(signer),
        Voucher.newBuilder()
            .setChainId(chain)
            .setChannelId(channel.toByteString())
            .setNonce(nonce)
            .setAmount(amount)
            .build());
  }

  static Claim claim(Hash channel, SignedVoucher voucher, boolean reopen) {
    return Claim.newBuilder()
        .setChannelId(channel.toByteString())
        .setVoucher(voucher)
        .setReopen(reopen)
        .build();
  }

  static Refund refund(Hash channel) {
    return Refund.newBuilder().setChannelId(channel.toByteString()).build();
  }

  Channel channel(Hash id) {
    return net.query(q -> net.ledger().market().channel(q, id)).orElseThrow();
  }

  List<ClaimRecord> claims() {
    return net.query(q -> net.ledger().market().claims(q, modelId, 0, 100_000));
  }

  List<RoyaltyPayment> royalties() {
    return net.query(q -> net.ledger().market().royalties(q, modelId));
  }

  Offer offerOnChain() {
    return net.query(q -> net.ledger().market().offer(q, modelId)).orElseThrow();
  }

  long offerCount() {
    return net.query(q -> net.ledger().market().offerCount(q));
  }

  long revenue() {
    return net.query(q -> net.ledger().market().revenue(q, modelId));
  }

  List<Channel> channelsOfClient(int i) {
    return net.query(q -> net.ledger().market().channelsOfClient(q, address(i), 0, 100));
  }

  List<Channel> channelsOfProvider(int i) {
    return net.query(q -> net.ledger().market().channelsOfProvider(q, address(i), 0, 100));
  }

  long balance(int i) {
    return net.balance(i);
  }

  long escrow(Hash channel) {
    return net.balance(MarketModule.escrowAccount(channel));
  }

  /** Balances of accounts 0..9, for before/after comparisons. */
  List<Long> balances() {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < TrainingNet.ACCOUNTS; i++) {
      out.add(net.balance(i));
    }
    return out;
  }

  @Override
  public void close() {
    net.close();
  }
}
