package org.fedledger.ledger.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.ledger.market.MarketNet.CLIENT;
import static org.fedledger.ledger.market.MarketNet.OTHER_CLIENT;
import static org.fedledger.ledger.market.MarketNet.OWNER;
import static org.fedledger.ledger.market.MarketNet.PROVIDER;
import static org.fedledger.ledger.market.MarketNet.STRANGER;
import static org.fedledger.ledger.market.MarketNet.address;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.AddFunds;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.ClaimRecord;
import org.fedledger.core.proto.market.ExtendChannel;
import org.fedledger.core.proto.market.Offer;
import org.fedledger.core.proto.market.SignedVoucher;
import org.fedledger.core.proto.market.WithdrawOffer;
import org.fedledger.ledger.training.TrainingNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal of the market, on a real ledger: each is refused with its reason and changes
 * nothing but the sender's nonce (balances, escrows, the channel, the offer and the claims stay as
 * they were).
 */
class MarketRefusalsTest {
  @TempDir Path dir;

  private MarketNet m;
  private Hash ch;

  @BeforeEach
  void offerAndOpenAChannel() {
    m = new MarketNet(dir);
    m.ok(OWNER, MarketMessages.PUBLISH_OFFER, m.offer().build());
    ch = m.open(CLIENT, PROVIDER, 1_000, 20);
  }

  @AfterEach
  void close() {
    m.close();
  }

  /** What a refusal must leave as it was. */
  private record Snapshot(
      List<Long> balances,
      long escrow,
      Optional<Channel> channel,
      Optional<Offer> offer,
      List<ClaimRecord> claims) {}

  private Snapshot snapshot() {
    return new Snapshot(
        m.balances(),
        m.escrow(ch),
        m.net.query(q -> m.net.ledger().market().channel(q, ch)),
        m.net.query(q -> m.net.ledger().market().offer(q, m.modelId)),
        m.claims());
  }

  /** Sends the message, which must fail with a reason containing reason and change nothing. */
  private void refusedUnchanged(
      int from, String type, com.google.protobuf.Message p, String reason) {
    Snapshot before = snapshot();
    long nonce = m.net.ledger().accountNonce(address(from));
    assertThat(m.refused(from, type, p)).contains(reason);
    assertThat(snapshot()).isEqualTo(before);
    assertThat(m.net.ledger().accountNonce(address(from))).isEqualTo(nonce + 1);
  }

  private void claimRefused(SignedVoucher v, String reason) {
    refusedUnchanged(PROVIDER, MarketMessages.CLAIM, MarketNet.claim(ch, v, true), reason);
  }

  @Test
  void aReplayedVoucherIsRefused() {
    m.ok(
        PROVIDER,
        MarketMessages.CLAIM,
        MarketNet.claim(ch, MarketNet.voucher(CLIENT, ch, 0, 100), true));
    claimRefused(
        MarketNet.voucher(CLIENT, ch, 0, 100),
        "the channel's current nonce is 1: it was already claimed");
    claimRefused(MarketNet.voucher(CLIENT, ch, 0, 200), "it was already claimed");
  }

  @Test
  void aVoucherAboveTheDepositIsRefused() {
    claimRefused(MarketNet.voucher(CLIENT, ch, 0, 1_001), "above the channel's deposit 1000");
  }

  @Test
  void aVoucherSignedByAnotherKeyIsRefused() {
    claimRefused(
        MarketNet.voucher(OTHER_CLIENT, ch, 0, 100), "not signed by the channel's client key");
  }

  @Test
  void aVoucherForAnotherChainIsRefused() {
    claimRefused(
        MarketNet.voucher(CLIENT, "another-chain", ch, 0, 100),
        "for chain 'another-chain', this chain is '" + TrainingNet.CHAIN + "'");
  }

  @Test
  void aVoucherForAnotherChannelIsRefused() {
    Hash other = m.open(CLIENT, PROVIDER, 500, 20);
    claimRefused(MarketNet.voucher(CLIENT, other, 0, 100), "for another channel");
  }

  @Test
  void aVoucherOfAFutureNonceOrNoAmountOrUnreadableBytesIsRefused() {
    claimRefused(
        MarketNet.voucher(CLIENT, ch, 1, 100), "carries nonce 1, the channel's current nonce is 0");
    claimRefused(MarketNet.voucher(CLIENT, ch, 0, 0), "amount must be at least 1 token");
    SignedVoucher garbage =
        MarketNet.voucher(CLIENT, ch, 0, 100).toBuilder()
            .setVoucher(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01}))
            .build();
    claimRefused(garbage, "not a Voucher");
  }

  @Test
  void aClaimOnAnExpiredChannelIsRefused() {
    m.net.advanceTo(m.channel(ch).getExpiryHeight());
    claimRefused(MarketNet.voucher(CLIENT, ch, 0, 100), "expired at height");
  }

  @Test
  void aClaimMadeTwiceIsRefused() {
    SignedVoucher v = MarketNet.voucher(CLIENT, ch, 0, 100);
    m.ok(PROVIDER, MarketMessages.CLAIM, MarketNet.claim(ch, v, false));
    refusedUnchanged(PROVIDER, MarketMessages.CLAIM, MarketNet.claim(ch, v, false), "is closed");
  }

  @Test
  void aClaimAfterTheRefundIsRefused() {
    m.net.advanceTo(m.channel(ch).getExpiryHeight());
    m.ok(CLIENT, MarketMessages.REFUND, MarketNet.refund(ch));
    claimRefused(MarketNet.voucher(CLIENT, ch, 0, 100), "is closed");
  }

  @Test
  void aRefundBeforeExpiryIsRefused() {
    refusedUnchanged(
        CLIENT, MarketMessages.REFUND, MarketNet.refund(ch), "a refund is possible from height");
    m.net.advanceTo(m.channel(ch).getExpiryHeight() - 1);
    // The next block is the expiry height: still the provider's.
    refusedUnchanged(
        CLIENT, MarketMessages.REFUND, MarketNet.refund(ch), "a refund is possible from height");
  }

  @Test
  void aRefundTwiceIsRefused() {
    m.net.advanceTo(m.channel(ch).getExpiryHeight());
    m.ok(CLIENT, MarketMessages.REFUND, MarketNet.refund(ch));
    refusedUnchanged(CLIENT, MarketMessages.REFUND, MarketNet.refund(ch), "is closed");
  }

  @Test
  void aProviderNotAllowedByTheOfferCannotBeOpenedTo() {
    refusedUnchanged(
        CLIENT,
        MarketMessages.OPEN_CHANNEL,
        m.openChannel(STRANGER, 100, m.net.ledger().height() + 10),
        "is not allowed by the offer");
  }

  @Test
  void onlyTheChannelsProviderClaimsAndOnlyItsClientRefundsAddsAndExtends() {
    refusedUnchanged(
        STRANGER,
        MarketMessages.CLAIM,
        MarketNet.claim(ch, MarketNet.voucher(CLIENT, ch, 0, 100), true),
        "only the channel's provider");
    m.net.advanceTo(m.channel(ch).getExpiryHeight());
    refusedUnchanged(
        PROVIDER, MarketMessages.REFUND, MarketNet.refund(ch), "only the channel's client");
    refusedUnchanged(
        OTHER_CLIENT,
        MarketMessages.ADD_FUNDS,
        AddFunds.newBuilder().setChannelId(ch.toByteString()).setAmount(5).build(),
        "only the channel's client");
    refusedUnchanged(
        OTHER_CLIENT,
        MarketMessages.EXTEND_CHANNEL,
        ExtendChannel.newBuilder().setChannelId(ch.toByteString()).setExpiryHeight(1_000).build(),
        "only the channel's client");
  }

  @Test
  void anExtensionMustMoveTheExpiryLaterAndNotTooFar() {
    long expiry = m.channel(ch).getExpiryHeight();
    refusedUnchanged(
        CLIENT,
        MarketMessages.EXTEND_CHANNEL,
        ExtendChannel.newBuilder().setChannelId(ch.toByteString()).setExpiryHeight(expiry).build(),
        "after the channel's expiry " + expiry);
    refusedUnchanged(
        CLIENT,
        MarketMessages.EXTEND_CHANNEL,
        ExtendChannel.newBuilder()
            .setChannelId(ch.toByteString())
            .setExpiryHeight(expiry + MarketModule.MAX_CHANNEL_BLOCKS)
            .build(),
        "at most " + MarketModule.MAX_CHANNEL_BLOCKS + " blocks ahead");
  }

  @Test
  void aChannelNeedsAFutureExpiryADepositTheClientHasAndALiveOffer() {
    // Each message runs in the next block, at height() + 1.
    refusedUnchanged(
        CLIENT,
        MarketMessages.OPEN_CHANNEL,
        m.openChannel(PROVIDER, 100, m.net.ledger().height() + 1),
        "must be after the current height");
    refusedUnchanged(
        CLIENT,
        MarketMessages.OPEN_CHANNEL,
        m.openChannel(PROVIDER, 100, m.net.ledger().height() + 2 + MarketModule.MAX_CHANNEL_BLOCKS),
        "blocks ahead");
    long h = m.net.ledger().height();
    refusedUnchanged(
        CLIENT,
        MarketMessages.OPEN_CHANNEL,
        m.openChannel(PROVIDER, 0, h + 10),
        "deposit must be between 1");
    refusedUnchanged(
        CLIENT,
        MarketMessages.OPEN_CHANNEL,
        m.openChannel(PROVIDER, TrainingNet.INITIAL * 10, h + 10),
        "holds");
    m.ok(
        OWNER,
        MarketMessages.WITHDRAW_OFFER,
        WithdrawOffer.newBuilder().setModelId(m.modelId).build());
    refusedUnchanged(
        CLIENT, MarketMessages.OPEN_CHANNEL, m.openChannel(PROVIDER, 100, h + 20), "is withdrawn");
    refusedUnchanged(
        OWNER,
        MarketMessages.WITHDRAW_OFFER,
        WithdrawOffer.newBuilder().setModelId(m.modelId).build(),
        "already withdrawn");
  }

  @Test
  void onlyTheModelsOwnerOffersItOnSoundTerms() {
    refusedUnchanged(1, MarketMessages.PUBLISH_OFFER, m.offer().build(), "only the model's owner");
    refusedUnchanged(
        OWNER,
        MarketMessages.PUBLISH_OFFER,
        m.offer().setContributorsSharePpm(600_001).build(),
        "must sum to exactly 1000000 ppm, got 100000:300000:600001");
    refusedUnchanged(
        OWNER,
        MarketMessages.PUBLISH_OFFER,
        m.offer().setProviderFeePpm(-1L).setOwnerSharePpm(300_001).build(),
        "must sum to exactly");
    refusedUnchanged(
        OWNER,
        MarketMessages.PUBLISH_OFFER,
        m.offer().setPricePerCall(0).build(),
        "price_per_call must be between 1");
    refusedUnchanged(
        OWNER,
        MarketMessages.PUBLISH_OFFER,
        m.offer().clearProviders().build(),
        "1 to 64 providers, got 0");
    refusedUnchanged(
        OWNER,
        MarketMessages.PUBLISH_OFFER,
        m.offer().addProviders(ByteString.copyFrom(new byte[19])).build(),
        "a provider is a 20-byte address");
    refusedUnchanged(
        OWNER,
        MarketMessages.PUBLISH_OFFER,
        m.offer().addProviders(address(PROVIDER).toByteString()).build(),
        "is named twice");
    refusedUnchanged(
        OWNER,
        MarketMessages.PUBLISH_OFFER,
        m.offer().setLicence("").build(),
        "licence must be 1 to 256 bytes");
    refusedUnchanged(
        OWNER,
        MarketMessages.PUBLISH_OFFER,
        m.offer().setModelId("no-such-model").build(),
        "no model 'no-such-model' is registered");
    refusedUnchanged(
        1,
        MarketMessages.WITHDRAW_OFFER,
        WithdrawOffer.newBuilder().setModelId(m.modelId).build(),
        "only the model's owner");
  }

  @Test
  void theMempoolRefusesAnOfferByAnyoneButTheOwner() throws Exception {
    var tx = m.net.tx(1, MarketMessages.MODULE, MarketMessages.PUBLISH_OFFER, m.offer().build());
    var verdict =
        m.net.ledger().checkTransaction(org.fedledger.core.tx.TransactionCodec.decode(tx));
    assertThat(verdict.isOk()).isFalse();
    assertThat(verdict.rejection()).isEqualTo(org.fedledger.core.tx.TxRejection.UNAUTHORIZED);
    assertThat(verdict.message()).contains("only the model's owner");
  }
}
