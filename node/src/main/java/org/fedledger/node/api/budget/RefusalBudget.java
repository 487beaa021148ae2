package org.fedledger.node.api.budget;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.fedledger.core.tx.TxRejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many avoidable refusals each API client may still cause: a token bucket per client that holds
 * {@code burst} refusals and refills at {@code refillPerSecond}. A client may submit while its
 * bucket holds more than nothing; each of its transactions refused for a reason it could have
 * avoided ({@link #counts}) takes one token after the fact, so one large batch of junk can drive
 * the bucket deep below zero, and the client then waits as long as the refill needs to pay that
 * debt back.
 *
 * <p>Only clients that were ever charged are remembered; a client whose bucket has refilled is
 * forgotten again, so honest clients (refused for none of these reasons) cost no memory and are
 * never slowed. At most {@code maxClients} indebted clients are remembered; past that a new one is
 * not tracked (logged once), which is why a network open to many addresses wants members'
 * certificates (see {@link ClientKey}).
 *
 * <p>Thread-safe; each call holds the budget's lock for a map lookup and some arithmetic.
 */
public final class RefusalBudget {
  private static final Logger LOG = LoggerFactory.getLogger(RefusalBudget.class);

  /** Refusals a client may cause at once before it must wait. */
  public static final int DEFAULT_BURST = 1_000;

  /**
   * Refusals per second a client may cause in the long run: each costs the node at most one failed
   * signature check, so a flooder that keeps its budget empty takes a few milliseconds of a core
   * per second.
   */
  public static final int DEFAULT_REFILL_PER_SECOND = 100;

  /** Indebted clients remembered at once. */
  public static final int DEFAULT_MAX_CLIENTS = 65_536;

  private final double burst;
  private final double refillPerNano;
  private final int maxHeldPerClient;
  private final int maxClients;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> indebted = new HashMap<>();
  private boolean warnedFull;

  private RefusalBudget(Builder b) {
    this.burst = b.burst;
    this.refillPerNano = b.refillPerSecond / 1e9;
    this.maxHeldPerClient = b.maxHeldPerClient;
    this.maxClients = b.maxClients;
    this.nanoClock = b.nanoClock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A budget with the default burst, refill and limits. */
  public static RefusalBudget defaults() {
    return builder().build();
  }

  /**
   * True for the refusals that a correct client never causes: bad signatures, undecodable or
   * oversize bytes, another chain, an unknown or invalid message, an unfunded or unauthorized
   * sender. Not counted: DUPLICATE and BAD_NONCE (a resend, or a race with a block that just
   * committed) and MEMPOOL_FULL (the node's load, not the client's fault).
   */
  public static boolean counts(TxRejection rejection) {
    return rejection != TxRejection.DUPLICATE
        && rejection != TxRejection.BAD_NONCE
        && rejection != TxRejection.MEMPOOL_FULL;
  }

  /** Empty if client may submit now; else how long until its bucket holds a token again. */
  public synchronized Optional<Duration> waitFor(String client) {
    Bucket b = indebted.get(client);
    if (b == null) {
      return Optional.empty();
    }
    double tokens = refill(b);
    if (tokens >= burst && b.held == 0) {
      indebted.remove(client); // paid back: as good as a client never charged
    }
    if (tokens > 0) {
      return Optional.empty();
    }
    // The time for the refill to bring the bucket from tokens to just above zero.
    long nanos = (long) Math.ceil((1 - tokens) / refillPerNano);
    return Optional.of(Duration.ofNanos(nanos));
  }

  /** Takes refusals tokens from client's bucket (remembering the client if it was not). */
  public synchronized void charge(String client, int refusals) {
    if (refusals <= 0) {
      return;
    }
    Bucket b = indebted.get(client);
    if (b == null) {
      if (indebted.size() >= maxClients) {
        forgetRefilled();
      }
      if (indebted.size() >= maxClients) {
        if (!warnedFull) {
          warnedFull = true;
          LOG.warn(
              "the API's refusal budget remembers {} indebted clients, its most; new ones go"
                  + " untracked (a flood from many addresses: require members' certificates)",
              maxClients);
        }
        return;
      }
      b = new Bucket(burst, nanoClock.getAsLong());
      indebted.put(client, b);
    }
    b.tokens = refill(b) - refusals;
  }

  /**
   * Counts one more request of client held back while it waits; false if it already has {@code
   * maxHeldPerClient} held (that request is then answered at once). Pair with {@link #release}.
   */
  public synchronized boolean hold(String client) {
    Bucket b = indebted.get(client);
    if (b == null || b.held >= maxHeldPerClient) {
      return false;
    }
    b.held++;
    return true;
  }

  /** Ends a hold that {@link #hold} granted. */
  public synchronized void release(String client) {
    Bucket b = indebted.get(client);
    if (b != null && b.held > 0) {
      b.held--;
    }
  }

  /** Clients remembered for a debt, for tests. */
  synchronized int tracked() {
    return indebted.size();
  }

  /** Updates b to now and returns its tokens. */
  private double refill(Bucket b) {
    long now = nanoClock.getAsLong();
    b.tokens = Math.min(burst, b.tokens + (now - b.atNanos) * refillPerNano);
    b.atNanos = now;
    return b.tokens;
  }

  /** Forgets the clients whose buckets are full again and that have no request held. */
  private void forgetRefilled() {
    for (Iterator<Bucket> it = indebted.values().iterator(); it.hasNext(); ) {
      Bucket b = it.next();
      if (b.held == 0 && refill(b) >= burst) {
        it.remove();
      }
    }
  }

  private static final class Bucket {
    double tokens;
    long atNanos;
    int held;

    Bucket(double tokens, long atNanos) {
      this.tokens = tokens;
      this.atNanos = atNanos;
    }
  }

  /** Required: nothing; every setting has a default. */
  public static final class Builder {
    private int burst = DEFAULT_BURST;
    private int refillPerSecond = DEFAULT_REFILL_PER_SECOND;
    private int maxHeldPerClient = 2;
    private int maxClients = DEFAULT_MAX_CLIENTS;
    private LongSupplier nanoClock = System::nanoTime;

    private Builder() {}

    /** Refusals a client may cause at once (default {@value #DEFAULT_BURST}). */
    public Builder optBurst(int burst) {
      this.burst = burst;
      return this;
    }

    /** Refusals per second a client may cause in the long run. */
    public Builder optRefillPerSecond(int refillPerSecond) {
      this.refillPerSecond = refillPerSecond;
      return this;
    }

    /** Requests of one waiting client held back at once; more are answered at once (default 2). */
    public Builder optMaxHeldPerClient(int maxHeldPerClient) {
      this.maxHeldPerClient = maxHeldPerClient;
      return this;
    }

    /** Indebted clients remembered at once. */
    public Builder optMaxClients(int maxClients) {
      this.maxClients = maxClients;
      return this;
    }

    /** The clock, in nanoseconds as {@link System#nanoTime}; tests pass their own. */
    public Builder optNanoClock(LongSupplier nanoClock) {
      this.nanoClock = nanoClock;
      return this;
    }

    public RefusalBudget build() {
      if (burst < 1 || refillPerSecond < 1 || maxHeldPerClient < 0 || maxClients < 1) {
        throw new IllegalArgumentException(
            "a refusal budget needs burst, refill and clients of at least 1 and held of at least"
                + " 0; got burst "
                + burst
                + ", refill "
                + refillPerSecond
                + "/s, held "
                + maxHeldPerClient
                + ", clients "
                + maxClients);
      }
      return new RefusalBudget(this);
    }
  }
}
