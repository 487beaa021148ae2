package org.fedledger.cli.nemesis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.fedledger.cli.nemesis.clock.FakeClock;

/**
 * Draws faults from a seeded schedule and injects them into a cluster. The schedule goes through
 * every available kind in a shuffled order, then shuffles again, so that even a short run sees each
 * kind once; which node is hit and how follows from the same seed (and from who leads at the time,
 * which the seed cannot fix).
 */
final class Nemesis {
  private final NemesisCluster cluster;
  private final Random random;
  private final List<FaultKind> kinds;
  private final long pauseMillis;
  private final Consumer<String> violations;
  private final Deque<FaultKind> cycle = new ArrayDeque<>();
  private int injected;

  /**
   * @param kinds the kinds to draw from
   * @param pauseMillis how long a SIGSTOP lasts at least (longer than the election timeout)
   * @param violations where a node's wrong answer to a fault goes (a damaged file run on without a
   *     word, a full disk that did not stop the node with its status)
   */
  Nemesis(
      NemesisCluster cluster,
      long seed,
      List<FaultKind> kinds,
      long pauseMillis,
      Consumer<String> violations) {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("the nemesis needs at least one fault kind");
    }
    this.cluster = cluster;
    this.random = new Random(seed);
    this.kinds = List.copyOf(kinds);
    this.pauseMillis = pauseMillis;
    this.violations = violations;
  }

  /** The next kind in the schedule. */
  FaultKind next() {
    if (cycle.isEmpty()) {
      List<FaultKind> shuffled = new ArrayList<>(kinds);
      Collections.shuffle(shuffled, random);
      cycle.addAll(shuffled);
    }
    return cycle.removeFirst();
  }

  /** How long the next fault is held, between min and max milliseconds. */
  long holdMillis(FaultKind kind, long min, long max) {
    long hold = min + (max > min ? random.nextLong(max - min + 1) : 0);
    return kind == FaultKind.PAUSE ? Math.max(hold, pauseMillis) : hold;
  }

  ActiveFault inject(FaultKind kind) throws IOException, InterruptedException {
    injected++;
    switch (kind) {
      case PARTITION:
        return partition();
      case KILL:
        return kill();
      case PAUSE:
        return pause();
      case SLOW:
        return slow();
      case CLOCK:
        return clock();
      case DISK:
        return fullDisk();
      case DAMAGE:
        return damage();
      default:
        throw new IllegalArgumentException(
            "fault kind " + kind.label() + " is not available in this build of the nemesis");
    }
  }

  private ActiveFault partition() throws InterruptedException {
    int n = cluster.size();
    List<Integer> nodes = shuffledNodes();
    int variant = random.nextInt(n >= 3 ? 3 : 2);
    String description;
    if (variant == 0) {
      int leader = leaderOrAny();
      for (int other = 0; other < n; other++) {
        if (other != leader) {
          cluster.cut(leader, other);
        }
      }
      description = "the leader " + name(leader) + " isolated";
    } else if (variant == 1) {
      List<Integer> minority = nodes.subList(0, (n - 1) / 2 == 0 ? 1 : (n - 1) / 2);
      List<Integer> majority = nodes.subList(minority.size(), n);
      cutBetween(minority, majority);
      description = "minority " + names(minority) + " cut from majority " + names(majority);
    } else {
      int bridge = nodes.get(0);
      List<Integer> rest = nodes.subList(1, n);
      List<Integer> left = rest.subList(0, rest.size() / 2);
      List<Integer> right = rest.subList(rest.size() / 2, rest.size());
      cutBetween(left, right);
      description = "bridge: " + names(left) + " and " + names(right) + " see only " + name(bridge);
    }
    return fault(FaultKind.PARTITION, description, cluster::healLinks);
  }

  private void cutBetween(List<Integer> a, List<Integer> b) {
    for (int x : a) {
      for (int y : b) {
        cluster.cut(x, y);
      }
    }
  }

  private ActiveFault kill() throws IOException, InterruptedException {
    int victim = leaderOrFollower();
    String role = role(victim);
    NodeProcess process = cluster.process(victim);
    process.kill();
    return fault(FaultKind.KILL, "kill -9 of " + role + " " + name(victim), process::start);
  }

  private ActiveFault pause() throws IOException, InterruptedException {
    int victim = leaderOrFollower();
    String role = role(victim);
    NodeProcess process = cluster.process(victim);
    process.pause();
    return fault(FaultKind.PAUSE, "SIGSTOP of " + role + " " + name(victim), process::resume);
  }

  private ActiveFault slow() throws InterruptedException {
    int victim = follower();
    long delay = 50L + random.nextInt(200);
    cluster.slow(victim, delay);
    return fault(
        FaultKind.SLOW,
        "slow follower " + name(victim) + ": every link delayed " + delay + " ms per chunk",
        cluster::healLinks);
  }

  /**
   * The leader's wall clock jumps forward or back by one minute to an hour (libfaketime; the
   * monotonic clock, and so Raft's timers, stay real); healing sets it back to real time, which is
   * a jump the other way. Block times must stay monotonic and contracts must not misbehave.
   */
  private ActiveFault clock() throws InterruptedException {
    int victim = leaderOrAny();
    String role = role(victim);
    long seconds = (60 + random.nextInt(3541)) * (random.nextBoolean() ? 1L : -1L);
    FakeClock clock = cluster.clock(victim);
    clock.jump(Duration.ofSeconds(seconds));
    return fault(
        FaultKind.CLOCK,
        "clock of "
            + role
            + " "
            + name(victim)
            + " jumped "
            + (seconds > 0 ? "+" : "")
            + seconds
            + " s",
        () -> clock.jump(Duration.ZERO));
  }

  /** A full disk on the leader or a follower: see {@link FullDiskFault}. */
  private ActiveFault fullDisk() throws InterruptedException {
    int victim = leaderOrFollower();
    return FullDiskFault.inject(
        cluster.process(victim), role(victim) + " " + name(victim), violations);
  }

  /** A damaged data file of a follower: see {@link DamagedFileFault}. */
  private ActiveFault damage() throws IOException, InterruptedException {
    return DamagedFileFault.inject(cluster, follower(), injected, random, violations);
  }

  /** The leader or a follower, by a coin; any node when no leader is known. */
  private int leaderOrFollower() throws InterruptedException {
    Optional<Integer> leader = cluster.leader();
    List<Integer> nodes = shuffledNodes();
    if (leader.isEmpty()) {
      return nodes.get(0);
    }
    if (random.nextBoolean()) {
      return leader.get();
    }
    return nodes.stream().filter(i -> !i.equals(leader.get())).findFirst().orElseThrow();
  }

  /** A follower, drawn; any node when no leader is known. */
  private int follower() throws InterruptedException {
    Optional<Integer> leader = cluster.leader();
    return shuffledNodes().stream()
        .filter(i -> leader.isEmpty() || !i.equals(leader.get()))
        .findFirst()
        .orElseThrow();
  }

  private int leaderOrAny() throws InterruptedException {
    List<Integer> nodes = shuffledNodes();
    return cluster.leader().orElse(nodes.get(0));
  }

  private String role(int node) throws InterruptedException {
    return cluster.leader().map(l -> l == node ? "the leader" : "follower").orElse("node");
  }

  private List<Integer> shuffledNodes() {
    List<Integer> nodes = new ArrayList<>(IntStream.range(0, cluster.size()).boxed().toList());
    Collections.shuffle(nodes, random);
    return nodes;
  }

  private static String name(int node) {
    return "node-" + node;
  }

  private static String names(List<Integer> nodes) {
    return nodes.stream().sorted().map(Nemesis::name).toList().toString();
  }

  /** A heal step. */
  private interface Healing {
    void run() throws IOException, InterruptedException;
  }

  private static ActiveFault fault(FaultKind kind, String description, Healing healing) {
    return new ActiveFault() {
      @Override
      public FaultKind kind() {
        return kind;
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public void heal() throws IOException, InterruptedException {
        healing.run();
      }
    };
  }
}
