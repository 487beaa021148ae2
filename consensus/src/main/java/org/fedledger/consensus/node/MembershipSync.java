package org.fedledger.consensus.node;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.fedledger.ledger.ValidatorInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Raft group's voting members equal to the ledger's validator set: on the leader, after
 * every applied block and once a period, it computes the next {@link MembershipPlan} step and
 * carries it out. Every step is computed afresh from what Raft and the ledger say now, so a step
 * that failed, or that a leader change interrupted, is simply computed again, by whoever leads; a
 * failed step waits (1, 2, 4 ... up to 16 periods) before it is tried again.
 *
 * <p>Runs on its own thread: never on Raft's apply thread, which must not wait for a
 * reconfiguration that needs that very thread to commit.
 */
public final class MembershipSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MembershipSync.class);
  private static final int MAX_BACKOFF_PERIODS = 16;

  /** What the sync needs from Raft. */
  public interface Raft {
    /** The voting members if this node leads, is ready, and no reconfiguration is under way. */
    Optional<List<PeerAddress>> stableMembersIfLeading();

    /** Fails unless a server at the peer's address answers for this group under the peer's id. */
    void checkServes(PeerAddress peer) throws IOException;

    /** Changes the members from current (compare and set: fails if they changed) to next. */
    void setMembers(List<PeerAddress> current, List<PeerAddress> next) throws IOException;

    /** Makes the given member the leader. */
    void transferLeadership(String peerId) throws IOException;
  }

  private final Raft raft;
  private final Supplier<List<ValidatorInfo>> validators;
  private final String selfId;
  private final Duration period;
  private final ScheduledExecutorService thread;
  private final AtomicBoolean poked = new AtomicBoolean();
  private volatile boolean closed;

  // Touched only on the sync thread.
  private MembershipPlan failed;
  private int failures;
  private long retryAtNanos;
  private String reportedWhy;

  /**
   * @param validators the ledger's current validator set
   * @param period how often the leader checks without being poked
   */
  public MembershipSync(
      Raft raft, Supplier<List<ValidatorInfo>> validators, String selfId, Duration period) {
    this.raft = raft;
    this.validators = validators;
    this.selfId = selfId;
    this.period = period;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "membership-sync-" + selfId);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The Raft group a node starts with: its configured peers, or none for a node whose key is no
   * genesis validator. Such a node joins a running network: with an empty group Ratis neither lets
   * it campaign nor lets a leader tell it to shut down as a stranger; it waits, across restarts,
   * until the leader adds it, and learns the group from the leader's log. (Once a node has applied
   * a configuration, Ratis restarts it with that one, whatever group it is given.)
   */
  static List<PeerAddress> startingPeers(ConsensusConfig config) {
    boolean genesisValidator =
        config.genesis().validators().stream()
            .anyMatch(v -> v.publicKey().equals(config.key().publicKey()));
    if (genesisValidator) {
      return config.peers();
    }
    LOG.info(
        "{}: not a genesis validator, so it joins the running network once the leader adds it"
            + " (after the chain's AddValidator)",
        config.selfId());
    return List.of();
  }

  public void start() {
    // check() catches its own failures; close() stops the executor.
    var unused =
        thread.scheduleWithFixedDelay(
            this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asks for a check soon (after a block); calls while one is pending count once. */
  public void poke() {
    if (!closed && poked.compareAndSet(false, true)) {
      try {
        thread.execute(
            () -> {
              poked.set(false);
              check();
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        poked.set(false); // closing
      }
    }
  }

  private void check() {
    if (closed) {
      return;
    }
    try {
      Optional<List<PeerAddress>> members = raft.stableMembersIfLeading();
      if (members.isPresent()) {
        act(MembershipPlan.of(members.get(), validators.get(), selfId));
      }
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; this one must keep running.
      LOG.warn("{}: checking Raft membership against the validator set failed", selfId, e);
    }
  }

  private void act(MembershipPlan plan) {
    if (plan.step() == MembershipPlan.Step.IN_SYNC) {
      failed = null;
      reportedWhy = null;
      return;
    }
    if (plan.step() == MembershipPlan.Step.BY_HAND
        || plan.step() == MembershipPlan.Step.STAND_DOWN) {
      if (!plan.detail().equals(reportedWhy)) { // said once, not once a second
        reportedWhy = plan.detail();
        if (plan.step() == MembershipPlan.Step.BY_HAND) {
          LOG.info("{}: Raft membership does not follow the chain: {}", selfId, plan.detail());
        } else {
          LOG.warn("{}: Raft membership cannot follow the chain: {}", selfId, plan.detail());
        }
      }
      return;
    }
    reportedWhy = null;
    if (plan.equals(failed) && System.nanoTime() < retryAtNanos) {
      return;
    }
    try {
      String done = carryOut(plan);
      LOG.info("{}: {} (the chain's validator set changed)", selfId, done);
      failed = null;
      failures = 0;
      poke(); // the next step, if any, right away
    } catch (IOException e) {
      failures = plan.equals(failed) ? failures + 1 : 1;
      failed = plan;
      long periods = Math.min(MAX_BACKOFF_PERIODS, 1L << Math.min(failures - 1, 30));
      retryAtNanos = System.nanoTime() + period.toNanos() * periods;
      LOG.warn(
          "{}: {} failed (attempt {}), trying again in {} ms: {}",
          selfId,
          describe(plan),
          failures,
          period.toMillis() * periods,
          e.toString());
    }
  }

  private String carryOut(MembershipPlan plan) throws IOException {
    switch (plan.step()) {
      case ADD:
        PeerAddress joining = plan.changed().get(0);
        raft.checkServes(joining);
        raft.setMembers(plan.current(), plan.next());
        return "added " + joining + " to the Raft group";
      case REMOVE:
        raft.setMembers(plan.current(), plan.next());
        return "removed " + plan.changed() + " from the Raft group";
      case HAND_OVER:
        // Try the candidates in turn, in case one is down.
        PeerAddress to = plan.next().get(failures % plan.next().size());
        raft.transferLeadership(to.id());
        return "no longer a validator, handed leadership to "
            + to.id()
            + ", which removes this node";
      default:
        throw new IllegalStateException("nothing to carry out for " + plan.step());
    }
  }

  private static String describe(MembershipPlan plan) {
    switch (plan.step()) {
      case ADD:
        return "adding " + plan.changed() + " to the Raft group";
      case REMOVE:
        return "removing " + plan.changed() + " from the Raft group";
      default:
        return "handing leadership over (this node is no validator any more)";
    }
  }

  /** Stops checking; waits briefly for a step under way. */
  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("{}: the membership sync did not stop within 5 s", selfId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
