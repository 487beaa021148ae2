package org.fedledger.node.serve;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.market.Vouchers;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.ChannelStatus;
import org.fedledger.core.proto.market.Claim;
import org.fedledger.core.proto.market.SignedVoucher;
import org.fedledger.core.proto.market.Voucher;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.market.MarketMessages;
import org.fedledger.node.agent.TxSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's claiming agent. Every tick it goes through the vouchers the provider holds ({@link
 * VoucherStore}, so a restarted provider claims what it answered before a crash) and claims a
 * channel when its unclaimed amount reaches the threshold (with reopen: the channel goes on under
 * the next nonce) or when its expiry is within the gate's margin (without: the rest of the deposit
 * returns to the client). Calls on a channel wait while its claim is on its way ({@link
 * PaymentGate#beginClaim}). Vouchers already claimed, or of closed channels, are forgotten.
 */
public final class ClaimAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClaimAgent.class);
  private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(30);

  private final Serving serving;
  private final TxSender tx;
  private final long threshold;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "claim-agent");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param tx sends with the provider's key
   * @param threshold unclaimed tokens on a channel that make it worth a claim (at least 1)
   */
  public ClaimAgent(Serving serving, TxSender tx, long threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("the claim threshold must be at least 1 token");
    }
    this.serving = serving;
    this.tx = tx;
    this.threshold = threshold;
  }

  /** Runs {@link #claimDue} every interval. */
  public ClaimAgent start(Duration interval) {
    ScheduledFuture<?> unused =
        timer.scheduleWithFixedDelay(
            () -> {
              try {
                claimDue();
              } catch (IOException | RuntimeException e) {
                log.warn("claiming failed; retrying next tick: {}", e.toString());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            interval.toMillis(),
            interval.toMillis(),
            TimeUnit.MILLISECONDS);
    return this;
  }

  /** Claims every channel that is due now; the number of claims committed. */
  public int claimDue() throws IOException, InterruptedException {
    return claim(threshold);
  }

  /**
   * Claims every channel with an unclaimed voucher now, whatever its amount (each reopens under its
   * next nonce); the number of claims committed. For a provider about to stop for long, or a
   * benchmark's settling.
   */
  public int claimAll() throws IOException, InterruptedException {
    return claim(1);
  }

  // One pass at a time: the timer's and a caller's would otherwise claim the same voucher twice.
  private synchronized int claim(long minimum) throws IOException, InterruptedException {
    int committed = 0;
    for (Map.Entry<Hash, SignedVoucher> e : serving.store().all().entrySet()) {
      if (claimIfDue(e.getKey(), e.getValue(), minimum)) {
        committed++;
      }
    }
    return committed;
  }

  private boolean claimIfDue(Hash channelId, SignedVoucher stored, long minimum)
      throws IOException, InterruptedException {
    Voucher voucher;
    try {
      voucher = Vouchers.decode(stored);
    } catch (Vouchers.InvalidVoucherException e) {
      serving.store().remove(channelId);
      return false;
    }
    Ledger ledger = serving.ledger();
    Optional<Channel> found = ledger.query(q -> ledger.market().channel(q, channelId));
    long height = ledger.height();
    if (found.isEmpty()
        || found.get().getStatus() != ChannelStatus.CHANNEL_OPEN
        || found.get().getNonce() > voucher.getNonce()) {
      // Claimed already (or closed): nothing more can be had from this voucher.
      serving.store().remove(channelId);
      return false;
    }
    Channel channel = found.get();
    boolean expiring = channel.getExpiryHeight() - height <= serving.gate().expiryMargin();
    if (voucher.getAmount() < minimum && !expiring) {
      return false;
    }
    try {
      Optional<PaymentGate.Accepted> latest = serving.gate().beginClaim(channelId);
      if (latest.isEmpty() || latest.get().nonce() != channel.getNonce()) {
        return false;
      }
      Claim claim =
          Claim.newBuilder()
              .setChannelId(channelId.toByteString())
              .setVoucher(latest.get().voucher())
              .setReopen(!expiring)
              .build();
      tx.sendAndWait(MarketMessages.MODULE, MarketMessages.CLAIM, claim, CLAIM_TIMEOUT);
      serving.metrics().claimed(latest.get().amount());
      // Settled: nothing more can be had from it (calls are still paused, so none replaced it).
      serving.store().remove(channelId);
      log.info(
          "claimed {} tokens on channel {} (nonce {}{})",
          latest.get().amount(),
          channelId.toHex(),
          latest.get().nonce(),
          expiring ? ", closing: expiry near" : "");
      return true;
    } catch (TxSender.TxRefusedException e) {
      log.warn("claim of channel {} not committed: {}", channelId.toHex(), e.getMessage());
      return false;
    } finally {
      serving.gate().endClaim(channelId);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(CLAIM_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
