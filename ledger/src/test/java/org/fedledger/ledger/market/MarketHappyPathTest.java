package org.fedledger.ledger.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.ledger.market.MarketNet.CLIENT;
import static org.fedledger.ledger.market.MarketNet.OWNER;
import static org.fedledger.ledger.market.MarketNet.PROVIDER;
import static org.fedledger.ledger.market.MarketNet.REJECTED;
import static org.fedledger.ledger.market.MarketNet.address;

import java.nio.file.Path;
import java.util.List;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.market.AddFunds;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.ChannelStatus;
import org.fedledger.core.proto.market.ClaimRecord;
import org.fedledger.core.proto.market.ExtendChannel;
import org.fedledger.core.proto.market.Offer;
import org.fedledger.core.proto.market.RoyaltyPayment;
import org.fedledger.core.proto.market.WithdrawOffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offer → channel → claims → royalties on a real ledger, with the model a real job registered. */
class MarketHappyPathTest {
  @TempDir Path dir;

  @Test
  void claimsPayProviderOwnerAndContributorsByScoreThenReturnTheRestToTheClient() {
    try (MarketNet m = new MarketNet(dir)) {
      m.ok(OWNER, MarketMessages.PUBLISH_OFFER, m.offer().build());
      Offer offer = m.offerOnChain();
      assertThat(offer.getOwner()).isEqualTo(address(OWNER).toByteString());
      assertThat(offer.getPublishedHeight()).isEqualTo(m.net.ledger().height());

      List<Long> before = m.balances();
      Hash ch = m.open(CLIENT, PROVIDER, 1_000, 50);
      Channel opened = m.channel(ch);
      assertThat(opened.getStatus()).isEqualTo(ChannelStatus.CHANNEL_OPEN);
      assertThat(opened.getClientPublicKey())
          .isEqualTo(MarketNet.key(CLIENT).publicKey().toByteString());
      assertThat(opened.getPricePerCall()).isEqualTo(MarketNet.PRICE);
      assertThat(m.escrow(ch)).isEqualTo(1_000);
      assertThat(m.balance(CLIENT)).isEqualTo(before.get(CLIENT) - 1_000);

      // 30 calls at 10: the provider claims 300 and keeps the channel open under nonce 1.
      Receipt first =
          m.ok(
              PROVIDER,
              MarketMessages.CLAIM,
              MarketNet.claim(ch, MarketNet.voucher(CLIENT, ch, 0, 300), true));
      Channel reopened = m.channel(ch);
      assertThat(reopened.getNonce()).isEqualTo(1);
      assertThat(reopened.getDeposit()).isEqualTo(700);
      assertThat(reopened.getTotalClaimed()).isEqualTo(300);
      assertThat(m.escrow(ch)).isEqualTo(700);
      // 10% fee, 30% owner, 60% contributors split by weight 1,000,000 : 600,000 : 400,000.
      assertThat(m.balance(PROVIDER) - before.get(PROVIDER)).isEqualTo(30);
      assertThat(m.balance(OWNER) - before.get(OWNER)).isEqualTo(90);
      List<Address> contributors = contributorsInAddressOrder();
      assertThat(gain(m, before, contributors)).containsExactly(90L, 54L, 36L);
      assertThat(m.balance(REJECTED)).isEqualTo(before.get(REJECTED));
      assertThat(types(first)).contains(MarketEvents.CHANNEL_CLAIMED, MarketEvents.ROYALTY_PAID);

      // 20 more calls under nonce 1, cumulative 200; no reopen: the 500 left go back.
      m.ok(
          PROVIDER,
          MarketMessages.CLAIM,
          MarketNet.claim(ch, MarketNet.voucher(CLIENT, ch, 1, 200), false));
      Channel closed = m.channel(ch);
      assertThat(closed.getStatus()).isEqualTo(ChannelStatus.CHANNEL_CLOSED);
      assertThat(closed.getDeposit()).isZero();
      assertThat(closed.getTotalClaimed()).isEqualTo(500);
      assertThat(closed.getTotalRefunded()).isEqualTo(500);
      assertThat(m.escrow(ch)).isZero();
      assertThat(m.balance(CLIENT)).isEqualTo(before.get(CLIENT) - 500);
      assertThat(m.balance(PROVIDER) - before.get(PROVIDER)).isEqualTo(50);
      assertThat(m.balance(OWNER) - before.get(OWNER)).isEqualTo(150);
      assertThat(gain(m, before, contributors)).containsExactly(150L, 90L, 60L);

      List<ClaimRecord> claims = m.claims();
      assertThat(claims).hasSize(2);
      assertThat(claims.get(0).getNonce()).isZero();
      assertThat(claims.get(1).getNonce()).isEqualTo(1);
      assertThat(claims.get(1).getModelId()).isEqualTo(m.modelId);
      assertThat(m.royalties())
          .extracting(RoyaltyPayment::getAmount)
          .containsExactly(150L, 90L, 60L);
      assertThat(m.royalties())
          .extracting(r -> Address.of(r.getContributor()))
          .containsExactlyElementsOf(contributors)
          .doesNotContain(address(REJECTED));
      assertThat(m.revenue()).isEqualTo(500);
      assertThat(m.channelsOfClient(CLIENT))
          .extracting(Channel::getChannelId)
          .containsExactly(ch.toByteString());
      assertThat(m.channelsOfProvider(PROVIDER)).hasSize(1);
    }
  }

  @Test
  void aChannelIsClaimableAtItsExpiryHeightAndRefundableFromTheNext() {
    try (MarketNet m = new MarketNet(dir)) {
      m.ok(OWNER, MarketMessages.PUBLISH_OFFER, m.offer().build());
      Hash ch = m.open(CLIENT, PROVIDER, 1_000, 3);
      long expiry = m.channel(ch).getExpiryHeight();
      m.net.advanceTo(expiry - 1);
      // The next block is the expiry height itself.
      m.ok(
          PROVIDER,
          MarketMessages.CLAIM,
          MarketNet.claim(ch, MarketNet.voucher(CLIENT, ch, 0, 100), true));
      assertThat(m.net.ledger().height()).isEqualTo(expiry);
      long client = m.balance(CLIENT);
      m.ok(CLIENT, MarketMessages.REFUND, MarketNet.refund(ch));
      assertThat(m.balance(CLIENT)).isEqualTo(client + 900);
      Channel refunded = m.channel(ch);
      assertThat(refunded.getStatus()).isEqualTo(ChannelStatus.CHANNEL_CLOSED);
      assertThat(refunded.getTotalRefunded()).isEqualTo(900);
      assertThat(m.escrow(ch)).isZero();
    }
  }

  @Test
  void theClientAddsFundsAndExtendsAnOpenChannel() {
    try (MarketNet m = new MarketNet(dir)) {
      m.ok(OWNER, MarketMessages.PUBLISH_OFFER, m.offer().build());
      Hash ch = m.open(CLIENT, PROVIDER, 100, 10);
      long expiry = m.channel(ch).getExpiryHeight();
      m.ok(
          CLIENT,
          MarketMessages.ADD_FUNDS,
          AddFunds.newBuilder().setChannelId(ch.toByteString()).setAmount(50).build());
      m.ok(
          CLIENT,
          MarketMessages.EXTEND_CHANNEL,
          ExtendChannel.newBuilder()
              .setChannelId(ch.toByteString())
              .setExpiryHeight(expiry + 20)
              .build());
      Channel c = m.channel(ch);
      assertThat(c.getDeposit()).isEqualTo(150);
      assertThat(c.getTotalDeposited()).isEqualTo(150);
      assertThat(c.getExpiryHeight()).isEqualTo(expiry + 20);
      assertThat(m.escrow(ch)).isEqualTo(150);
      // The larger deposit is claimable in full.
      m.ok(
          PROVIDER,
          MarketMessages.CLAIM,
          MarketNet.claim(ch, MarketNet.voucher(CLIENT, ch, 0, 150), false));
      assertThat(m.escrow(ch)).isZero();
    }
  }

  @Test
  void anOpenChannelKeepsTheTermsItOpenedUnderWhenTheOfferChangesOrIsWithdrawn() {
    try (MarketNet m = new MarketNet(dir)) {
      m.ok(OWNER, MarketMessages.PUBLISH_OFFER, m.offer().build());
      Hash ch = m.open(CLIENT, PROVIDER, 1_000, 50);
      // The owner takes the provider's fee away and then withdraws the offer.
      m.ok(
          OWNER,
          MarketMessages.PUBLISH_OFFER,
          m.offer().setProviderFeePpm(0).setOwnerSharePpm(400_000).setPricePerCall(99).build());
      assertThat(
              m.net
                  .query(q -> m.net.ledger().market().offer(q, m.modelId))
                  .orElseThrow()
                  .getPricePerCall())
          .isEqualTo(99);
      m.ok(
          OWNER,
          MarketMessages.WITHDRAW_OFFER,
          WithdrawOffer.newBuilder().setModelId(m.modelId).build());
      long provider = m.balance(PROVIDER);
      m.ok(
          PROVIDER,
          MarketMessages.CLAIM,
          MarketNet.claim(ch, MarketNet.voucher(CLIENT, ch, 0, 1_000), false));
      assertThat(m.balance(PROVIDER) - provider).isEqualTo(100);
      assertThat(m.offerCount()).isEqualTo(1);
    }
  }

  private static List<Address> contributorsInAddressOrder() {
    return List.of(address(1), address(2), address(3)).stream().sorted().toList();
  }

  private static List<Long> gain(MarketNet m, List<Long> before, List<Address> contributors) {
    return contributors.stream().map(a -> m.net.balance(a) - before.get(idOf(a))).toList();
  }

  private static int idOf(Address a) {
    for (int i = 0; i < 10; i++) {
      if (address(i).equals(a)) {
        return i;
      }
    }
    throw new IllegalArgumentException(a.toString());
  }

  private static List<String> types(Receipt r) {
    return r.getEventsList().stream()
        .filter(e -> e.getModule().equals("market"))
        .map(Event::getType)
        .toList();
  }
}
