package org.fedledger.node.serve;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.market.Vouchers;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.ChannelStatus;
import org.fedledger.core.proto.market.SignedVoucher;
import org.fedledger.core.proto.market.Voucher;
import org.fedledger.ledger.Ledger;

/**
 * Takes payment for one call: a client's signed voucher must be for this chain and an open channel
 * of this model to this provider, signed by the channel's client key, under the channel's current
 * nonce, for exactly the last accepted amount plus the channel's price, within the deposit, with at
 * least {@code expiryMargin} blocks left to claim it. An accepted voucher is saved ({@link
 * VoucherStore}, synced) before {@link #pay} returns; a refused one changes nothing and is a 402
 * (pay differently: stale, wrong amount, over the deposit, too close to expiry) or a 403 (not yours
 * to use: another chain, model, provider or key), with the reason.
 *
 * <p>{@link #begin} splits a payment in two, so that a call's answer is computed while its voucher
 * is being synced: it checks the voucher and queues its save; the caller answers only after {@link
 * Payment#awaitSaved} returns.
 */
public final class PaymentGate {
  private final Supplier<Ledger> ledger;
  private final Address provider;
  private final long expiryMargin;
  private final VoucherStore store;
  // The latest accepted voucher per channel, and a lock per channel that orders its calls.
  private final Map<Hash, Accepted> latest = new ConcurrentHashMap<>();
  // A ReentrantLock, not synchronized: a call holds it while its voucher is synced to disk, and a
  // virtual thread parked inside synchronized keeps its carrier thread on Java 21.
  private final Map<Hash, ReentrantLock> locks = new ConcurrentHashMap<>();
  // Channels whose claim is on its way to the chain: a voucher signed under the claimed nonce after
  // the claim could never be claimed, so calls wait (503) until the claim commits.
  private final Set<Hash> claiming = ConcurrentHashMap.newKeySet();
  // Each channel as the chain had it at a height (of that ledger: a snapshot install replaces it).
  private final Map<Hash, Terms> terms = new ConcurrentHashMap<>();

  private record Terms(Ledger ledger, long height, Optional<Channel> channel) {}

  /** A voucher the provider holds: its channel, nonce and cumulative amount. */
  public record Accepted(Hash channelId, long nonce, long amount, SignedVoucher voucher) {}

  /**
   * @param expiryMargin blocks a channel must still have before its expiry for a call to be taken:
   *     the time the provider keeps to get its claim committed
   */
  public PaymentGate(
      Supplier<Ledger> ledger, Address provider, long expiryMargin, VoucherStore store) {
    this.ledger = ledger;
    this.provider = provider;
    this.expiryMargin = expiryMargin;
    this.store = store;
  }

  public long expiryMargin() {
    return expiryMargin;
  }

  /**
   * Checks the voucher (base64 of a serialized SignedVoucher) for one call to modelId and saves it.
   *
   * @throws PaymentRefusedException 402 or 403 with the reason; nothing is saved then
   * @throws IOException if the voucher cannot be saved (the call must not be answered)
   */
  public Accepted pay(String modelId, String voucherBase64) throws IOException {
    try (Payment payment = begin(modelId, voucherBase64)) {
      return payment.awaitSaved();
    }
  }

  /**
   * Checks the voucher as {@link #pay} does and queues its save; the call may be computed
   * meanwhile, but answered only once {@link Payment#awaitSaved} has returned. Until the payment is
   * closed its channel takes no other call, so a channel's vouchers are accepted and saved in
   * order.
   *
   * @throws PaymentRefusedException 402 or 403 with the reason; nothing is saved then
   * @throws IOException if the channel's last voucher cannot be read
   */
  public Payment begin(String modelId, String voucherBase64) throws IOException {
    SignedVoucher signed;
    Voucher voucher;
    try {
      signed = SignedVoucher.parseFrom(java.util.Base64.getDecoder().decode(voucherBase64.trim()));
      voucher = Vouchers.decode(signed);
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      throw refuse(
          402,
          "INVALID_VOUCHER",
          "the voucher is not base64 of a SignedVoucher: " + e.getMessage());
    } catch (Vouchers.InvalidVoucherException e) {
      throw refuse(402, "INVALID_VOUCHER", e.getMessage());
    }
    Ledger chain = ledger.get();
    if (!voucher.getChainId().equals(chain.chainId())) {
      throw refuse(
          403,
          "WRONG_CHAIN",
          "the voucher is for chain '"
              + voucher.getChainId()
              + "', this is '"
              + chain.chainId()
              + "'");
    }
    if (voucher.getChannelId().size() != Hash.LENGTH) {
      throw refuse(402, "INVALID_VOUCHER", "the voucher's channel id is not 32 bytes");
    }
    Hash channelId = Hash.of(voucher.getChannelId());
    long height = chain.height();
    Optional<Channel> found = channel(chain, channelId, height);
    if (found.isEmpty()) {
      throw refuse(
          403, "UNKNOWN_CHANNEL", "no channel " + channelId.toHex() + " on chain; open one first");
    }
    Channel channel = found.get();
    if (channel.getStatus() != ChannelStatus.CHANNEL_OPEN) {
      throw refuse(
          402, "CHANNEL_CLOSED", "channel " + channelId.toHex() + " is closed; open a new one");
    }
    if (!channel.getModelId().equals(modelId)) {
      throw refuse(
          403,
          "WRONG_MODEL",
          "channel "
              + channelId.toHex()
              + " pays for model "
              + channel.getModelId()
              + ", not "
              + modelId,
          channel);
    }
    if (!channel.getProvider().equals(provider.toByteString())) {
      throw refuse(
          403,
          "WRONG_PROVIDER",
          "channel " + channelId.toHex() + " pays another provider",
          channel);
    }
    // The process's one instance of the key: its curve point is decoded once, not per call (a
    // third of each verification).
    Ed25519PublicKey client = Ed25519PublicKey.shared(channel.getClientPublicKey().toByteArray());
    if (!Vouchers.verify(signed, client)) {
      throw refuse(
          403, "BAD_SIGNATURE", "the voucher is not signed by the channel's client key", channel);
    }
    if (voucher.getNonce() != channel.getNonce()) {
      throw refuse(
          402,
          "STALE_NONCE",
          "the voucher carries nonce "
              + voucher.getNonce()
              + "; the channel is at nonce "
              + channel.getNonce()
              + " (claimed since): sign from amount 0 under that nonce",
          channel);
    }
    if (height + expiryMargin >= channel.getExpiryHeight()) {
      throw refuse(
          402,
          "EXPIRING",
          "channel "
              + channelId.toHex()
              + " expires at height "
              + channel.getExpiryHeight()
              + ", within "
              + expiryMargin
              + " blocks of height "
              + height
              + "; extend it (ExtendChannel) or open another",
          channel);
    }
    ReentrantLock lock = lock(channelId);
    lock.lock();
    boolean handedOver = false;
    try {
      if (claiming.contains(channelId)) {
        throw new PaymentRefusedException(
            503,
            "CLAIMING",
            "the provider is claiming channel "
                + channelId.toHex()
                + "; retry in a block, signing from amount 0 under the nonce after "
                + channel.getNonce(),
            channel.getNonce());
      }
      // The channel was read before the lock: a claim that committed since then moved its nonce
      // on, and a voucher under the old nonce could never be claimed. Read it again (from the
      // per-block cache, so only a new block costs a query) and hold the voucher to it.
      long now = chain.height();
      if (now != height) {
        Channel current = channel(chain, channelId, now).orElse(channel);
        if (current.getNonce() != voucher.getNonce()
            || current.getStatus() != ChannelStatus.CHANNEL_OPEN) {
          throw refuse(
              402,
              "STALE_NONCE",
              "channel "
                  + channelId.toHex()
                  + " was claimed while this call waited; sign from amount 0 under nonce "
                  + current.getNonce(),
              current);
        }
      }
      Accepted last = latest.get(channelId);
      if (last == null) {
        last = stored(channelId);
      }
      long previous = last.nonce() == channel.getNonce() ? last.amount() : 0;
      long expected = previous + channel.getPricePerCall();
      if (voucher.getAmount() != expected) {
        throw refuse(
            402,
            "WRONG_AMOUNT",
            "the voucher is for "
                + voucher.getAmount()
                + "; this call costs "
                + channel.getPricePerCall()
                + " on top of the "
                + previous
                + " already accepted, so sign for "
                + expected,
            channel);
      }
      if (voucher.getAmount() > channel.getDeposit()) {
        throw refuse(
            402,
            "DEPOSIT_EXHAUSTED",
            "the voucher's "
                + voucher.getAmount()
                + " exceeds the channel's deposit of "
                + channel.getDeposit()
                + "; add funds (AddFunds) or open another channel",
            channel);
      }
      Accepted accepted = new Accepted(channelId, voucher.getNonce(), voucher.getAmount(), signed);
      Payment payment = new Payment(accepted, store.submit(channelId, signed), lock);
      handedOver = true;
      return payment;
    } finally {
      if (!handedOver) {
        lock.unlock();
      }
    }
  }

  /**
   * A checked voucher whose save is under way. Holds its channel's lock until closed (by the thread
   * that began it); {@link #awaitSaved} then makes it the channel's latest voucher.
   */
  public final class Payment implements AutoCloseable {
    private final Accepted accepted;
    private final CompletableFuture<Void> saved;
    private final ReentrantLock lock;
    private boolean closed;

    private Payment(Accepted accepted, CompletableFuture<Void> saved, ReentrantLock lock) {
      this.accepted = accepted;
      this.saved = saved;
      this.lock = lock;
    }

    /** The voucher taken: what the call's receipt names. */
    public Accepted accepted() {
      return accepted;
    }

    /**
     * Waits until the voucher is on disk and records it as the channel's latest.
     *
     * @throws IOException if it could not be saved: the call must not be answered
     */
    public Accepted awaitSaved() throws IOException {
      store.await(saved, accepted.channelId());
      latest.put(accepted.channelId(), accepted);
      return accepted;
    }

    /** Lets the channel's next call in; a voucher not awaited is not recorded as the latest. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        lock.unlock();
      }
    }
  }

  /**
   * The channel as of the committed height: read from the chain once per channel and block, since a
   * channel changes only in a block, rather than once per call.
   */
  private Optional<Channel> channel(Ledger chain, Hash channelId, long height) {
    Terms cached = terms.get(channelId);
    if (cached != null && cached.height() == height && cached.ledger() == chain) {
      return cached.channel();
    }
    Optional<Channel> read = chain.query(q -> chain.market().channel(q, channelId));
    // Read after the height: if a block committed in between, the next call reads again. Only
    // channels that exist are kept, so that made-up channel ids cannot fill the memory.
    if (read.isPresent()) {
      terms.put(channelId, new Terms(chain, height, read));
    }
    return read;
  }

  /**
   * Stops taking calls on the channel and returns the voucher to claim (empty if none): from now
   * until {@link #endClaim} its calls are refused with 503, so that no call is paid by a voucher
   * the claim makes worthless.
   */
  public Optional<Accepted> beginClaim(Hash channelId) throws IOException {
    ReentrantLock lock = lock(channelId);
    lock.lock();
    try {
      claiming.add(channelId);
      Accepted a = latest.get(channelId);
      if (a == null) {
        a = stored(channelId);
      }
      return a.nonce() < 0 ? Optional.empty() : Optional.of(a);
    } finally {
      lock.unlock();
    }
  }

  /** Takes calls on the channel again, after its claim committed or failed. */
  public void endClaim(Hash channelId) {
    claiming.remove(channelId);
  }

  private ReentrantLock lock(Hash channelId) {
    return locks.computeIfAbsent(channelId, id -> new ReentrantLock());
  }

  private Accepted stored(Hash channelId) throws IOException {
    Optional<SignedVoucher> saved = store.latest(channelId);
    if (saved.isEmpty()) {
      return new Accepted(channelId, -1, 0, null);
    }
    try {
      Voucher v = Vouchers.decode(saved.get());
      return new Accepted(channelId, v.getNonce(), v.getAmount(), saved.get());
    } catch (Vouchers.InvalidVoucherException e) {
      throw new IOException("the stored voucher of " + channelId.toHex() + " is unreadable", e);
    }
  }

  /** The latest voucher accepted on a channel, from memory or the store; empty if none. */
  public Optional<Accepted> latest(Hash channelId) throws IOException {
    ReentrantLock lock = lock(channelId);
    lock.lock();
    try {
      Accepted a = latest.get(channelId);
      if (a == null) {
        a = stored(channelId);
      }
      return a.nonce() < 0 ? Optional.empty() : Optional.of(a);
    } finally {
      lock.unlock();
    }
  }

  private static PaymentRefusedException refuse(int status, String code, String message) {
    return new PaymentRefusedException(status, code, message, -1);
  }

  private static PaymentRefusedException refuse(
      int status, String code, String message, Channel channel) {
    return new PaymentRefusedException(status, code, message, channel.getNonce());
  }
}
