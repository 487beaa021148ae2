package org.fedledger.ledger.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.ledger.market.MarketNet.OWNER;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.market.AddFunds;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.ChannelStatus;
import org.fedledger.core.proto.market.ClaimRecord;
import org.fedledger.core.proto.market.ExtendChannel;
import org.fedledger.core.proto.market.RoyaltyPayment;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.training.TrainingNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded property test: thousands of random opens, claims (valid, stale, too large, by the wrong
 * key), refunds, top-ups and extensions on a real ledger, after which no token was created or lost:
 * every channel's deposits equal its claims plus its refunds plus what it still holds, every escrow
 * holds exactly its channel's deposit, the accounts and escrows together hold what they held
 * before, every claim's parts sum to its amount, and the royalties per contributor are the sum of
 * the claims' royalties. A second ledger replaying the same blocks reaches the same state root.
 */
class MarketConservationTest {
  private static final long SEED = 20_261_206;
  private static final int OPERATIONS = 2_500;
  private static final int[] CLIENTS = {MarketNet.CLIENT, MarketNet.OTHER_CLIENT};
  private static final int[] PROVIDERS = {MarketNet.PROVIDER, MarketNet.OTHER_PROVIDER};

  @TempDir Path dir;

  @Test
  void randomOpensClaimsAndRefundsConserveEveryToken() throws Exception {
    try (MarketNet m = new MarketNet(dir.resolve("a"))) {
      m.ok(OWNER, MarketMessages.PUBLISH_OFFER, m.offer().build());
      long held = heldByAccountsAndEscrows(m, List.of());
      Random random = new Random(SEED);
      List<Hash> channels = new ArrayList<>();
      List<Hash> open = new ArrayList<>();
      int claimsOk = 0;
      int refundsOk = 0;
      int refused = 0;
      for (int op = 0; op < OPERATIONS; op++) {
        // Claims mostly go to live channels (open, not expired), so that many succeed; the rest of
        // the operations, and one claim in seven, pick any channel, closed and expired ones too.
        int kind = random.nextInt(100);
        List<Hash> pool = channels;
        if (kind >= 25 && kind < 65 && random.nextInt(7) != 0) {
          long next = m.net.ledger().height() + 1;
          pool = open.stream().filter(id -> m.channel(id).getExpiryHeight() >= next).toList();
        }
        Hash target = pool.isEmpty() ? null : pool.get(random.nextInt(pool.size()));
        SignedTransaction tx = randomOperation(m, random, kind, target);
        if (tx == null) {
          m.net.block();
          continue;
        }
        var receipt = m.net.block(tx).receipts().get(0);
        boolean ok = receipt.getStatus() == ReceiptStatus.OK;
        String type = TransactionCodec.decode(tx).body().getMessageType();
        if (!ok) {
          refused++;
        } else if (type.equals(MarketMessages.OPEN_CHANNEL)) {
          channels.add(MarketModule.channelIdOf(TransactionCodec.hashOf(tx)));
          open.add(channels.get(channels.size() - 1));
        } else if (type.equals(MarketMessages.CLAIM)) {
          claimsOk++;
        } else if (type.equals(MarketMessages.REFUND)) {
          refundsOk++;
        }
        if (target != null && m.channel(target).getStatus() == ChannelStatus.CHANNEL_CLOSED) {
          open.remove(target);
        }
        if (op % 250 == 0) {
          assertConserved(m, channels, held);
        }
      }
      assertConserved(m, channels, held);
      // The sequence exercised what it claims to: many claims, refunds and refusals.
      assertThat(channels).hasSizeGreaterThan(200);
      System.out.printf(
          "market property test: %d channels, %d claims, %d refunds, %d refused%n",
          channels.size(), claimsOk, refundsOk, refused);
      assertThat(claimsOk).isGreaterThan(300);
      assertThat(refundsOk).isGreaterThan(50);
      assertThat(refused).isGreaterThan(100);

      try (Ledger replay = Ledger.open(dir.resolve("b"), TrainingNet.genesis())) {
        for (BlockProposal p : m.net.applied()) {
          replay.applyBlock(p, new byte[0]);
        }
        assertThat(replay.stateRoot()).isEqualTo(m.net.ledger().stateRoot());
      }
    }
  }

  /**
   * One random market message of the kind drawn from 0-99 (or null: an empty block, time passing):
   * open below 20 (or with no channel yet), nothing below 25, claim below 65, refund below 80, add
   * funds below 90, extend above.
   */
  private static SignedTransaction randomOperation(MarketNet m, Random random, int kind, Hash id) {
    long height = m.net.ledger().height() + 1;
    if (kind < 20 || id == null) {
      int client = CLIENTS[random.nextInt(2)];
      int provider = PROVIDERS[random.nextInt(2)];
      return m.net.tx(
          client,
          MarketMessages.MODULE,
          MarketMessages.OPEN_CHANNEL,
          m.openChannel(provider, 1 + random.nextInt(3_000), height + 1 + random.nextInt(150)));
    }
    if (kind < 25) {
      return null;
    }
    Channel c = m.channel(id);
    int client = idOf(c.getClient());
    int provider = idOf(c.getProvider());
    if (kind < 65) {
      long nonce = random.nextInt(10) == 0 ? Math.max(0, c.getNonce() - 1) : c.getNonce();
      long amount =
          random.nextInt(12) == 0
              ? c.getDeposit() + 1
              : 1 + (c.getDeposit() <= 1 ? 0 : random.nextLong(c.getDeposit()));
      int signer = random.nextInt(15) == 0 ? CLIENTS[random.nextInt(2)] : client;
      return m.net.tx(
          provider,
          MarketMessages.MODULE,
          MarketMessages.CLAIM,
          MarketNet.claim(id, MarketNet.voucher(signer, id, nonce, amount), random.nextBoolean()));
    }
    if (kind < 80) {
      return m.net.tx(client, MarketMessages.MODULE, MarketMessages.REFUND, MarketNet.refund(id));
    }
    if (kind < 90) {
      return m.net.tx(
          client,
          MarketMessages.MODULE,
          MarketMessages.ADD_FUNDS,
          AddFunds.newBuilder()
              .setChannelId(id.toByteString())
              .setAmount(1 + random.nextInt(500))
              .build());
    }
    return m.net.tx(
        client,
        MarketMessages.MODULE,
        MarketMessages.EXTEND_CHANNEL,
        ExtendChannel.newBuilder()
            .setChannelId(id.toByteString())
            .setExpiryHeight(c.getExpiryHeight() + random.nextInt(10))
            .build());
  }

  private static void assertConserved(MarketNet m, List<Hash> channels, long held) {
    long deposited = 0;
    long claimed = 0;
    long refunded = 0;
    long locked = 0;
    for (Hash id : channels) {
      Channel c = m.channel(id);
      assertThat(c.getTotalDeposited())
          .as("channel %s: deposits = claims + refunds + still locked", id)
          .isEqualTo(c.getTotalClaimed() + c.getTotalRefunded() + c.getDeposit());
      assertThat(m.escrow(id)).as("escrow of %s", id).isEqualTo(c.getDeposit());
      if (c.getStatus() == ChannelStatus.CHANNEL_CLOSED) {
        assertThat(c.getDeposit()).isZero();
      }
      deposited += c.getTotalDeposited();
      claimed += c.getTotalClaimed();
      refunded += c.getTotalRefunded();
      locked += c.getDeposit();
    }
    assertThat(deposited).isEqualTo(claimed + refunded + locked);
    assertThat(heldByAccountsAndEscrows(m, channels)).isEqualTo(held);
    assertThat(m.net.ledger().totalSupply())
        .isEqualTo(TrainingNet.genesis().accounts().stream().mapToLong(a -> a.balance()).sum());

    List<ClaimRecord> claims = m.claims();
    long claimedByRecords = 0;
    Map<Address, Long> royalties = new TreeMap<>();
    for (ClaimRecord r : claims) {
      long parts = r.getProviderAmount() + r.getOwnerAmount();
      for (RoyaltyPayment p : r.getRoyaltiesList()) {
        parts += p.getAmount();
        royalties.merge(Address.of(p.getContributor()), p.getAmount(), Long::sum);
      }
      assertThat(parts).as("the parts of a claim sum to its amount").isEqualTo(r.getAmount());
      claimedByRecords += r.getAmount();
    }
    assertThat(claimedByRecords).isEqualTo(claimed).isEqualTo(m.revenue());
    for (RoyaltyPayment p : m.royalties()) {
      assertThat(p.getAmount())
          .isEqualTo(royalties.getOrDefault(Address.of(p.getContributor()), 0L));
    }
  }

  /** Accounts 0..9 (every party of the market) plus every channel's escrow. */
  private static long heldByAccountsAndEscrows(MarketNet m, List<Hash> channels) {
    long sum = 0;
    for (long b : m.balances()) {
      sum += b;
    }
    for (Hash id : channels) {
      sum += m.escrow(id);
    }
    return sum;
  }

  private static int idOf(com.google.protobuf.ByteString address) {
    return TrainingNet.idOf(address);
  }
}
