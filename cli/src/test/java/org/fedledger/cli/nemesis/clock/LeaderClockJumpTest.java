package org.fedledger.cli.nemesis.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.testing.ProcessNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three validator processes under transfers while the leader's wall clock jumps an hour ahead
 * (beyond the ledger's 10-minute step per block), then an hour behind, then heals. Blocks keep
 * coming, their timestamps never go back, the chain's time gains at most the fault's duration (not
 * the jump's hour), and every node agrees on every block.
 */
@Timeout(value = 110, unit = TimeUnit.SECONDS)
class LeaderClockJumpTest {
  private static final Duration PHASE = Duration.ofSeconds(4);

  @TempDir Path dir;

  @Test
  void blockTimeStaysMonotonicAndNearRealTimeWhileTheLeadersClockJumps() throws Exception {
    assumeThat(FakeClock.available()).as("libfaketime installed").isTrue();
    List<FakeClock> clocks = new ArrayList<>();
    try (ProcessNetwork net = ProcessNetwork.create(dir.resolve("net"), "clock-test", c -> c)) {
      for (int i = 0; i < 3; i++) {
        FakeClock clock = FakeClock.create(dir.resolve("clock-" + i));
        clocks.add(clock);
        net.node(i).optEnvironment(clock.environment());
      }
      net.startAll();
      List<Integer> all = net.all();
      net.awaitReady(all, Duration.ofSeconds(60));
      net.sendFor(Duration.ofSeconds(2), all);

      int leader = net.leaderIndex(all);
      long beforeJump = net.height(leader);
      long faultStart = System.currentTimeMillis();
      clocks.get(leader).jump(Duration.ofHours(1));
      net.sendFor(PHASE, all);
      clocks.get(leader).jump(Duration.ofHours(-1));
      long backStart = net.height(net.leaderIndex(all));
      net.sendFor(PHASE, all);
      long afterBack = net.height(net.leaderIndex(all));
      clocks.get(leader).jump(Duration.ZERO);
      long faultMillis = System.currentTimeMillis() - faultStart;
      net.sendFor(Duration.ofSeconds(2), all);
      net.awaitCommitted(all, Duration.ofSeconds(60));

      List<Long> times = net.checkAgreement(all);
      long now = System.currentTimeMillis();
      assertThat(backStart).as("blocks while an hour ahead").isGreaterThan(beforeJump);
      assertThat(afterBack)
          .as("blocks while an hour behind: the interval runs on the monotonic clock")
          .isGreaterThan(backStart);
      for (int h = 1; h < times.size(); h++) {
        assertThat(times.get(h))
            .as("timestamp of block %d against its parent", h + 1)
            .isGreaterThanOrEqualTo(times.get(h - 1));
      }
      // Gained at most the fault's duration (chain time runs at most twice as fast as real time),
      // plus slack for the clocks of three processes on one machine.
      assertThat(times.get(times.size() - 1))
          .as("the chain's time after an hour's jump, against real time")
          .isLessThanOrEqualTo(now + faultMillis + 3_000);
    }
  }
}
