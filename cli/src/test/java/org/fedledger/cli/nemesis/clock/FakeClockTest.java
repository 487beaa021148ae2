package org.fedledger.cli.nemesis.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.testing.ProbeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeClockTest {
  @TempDir Path dir;

  @Test
  void offsetsAreWrittenInLibfaketimesRelativeFormat() {
    assertThat(FakeClock.formatOffset(Duration.ofHours(1))).isEqualTo("+3600\n");
    assertThat(FakeClock.formatOffset(Duration.ofMinutes(-11))).isEqualTo("-660\n");
    assertThat(FakeClock.formatOffset(Duration.ZERO)).isEqualTo("+0\n");
  }

  @Test
  void aNewClockStartsAtRealTimeAndJumpsRewriteItsFile() throws Exception {
    assumeThat(FakeClock.available()).as("libfaketime installed").isTrue();
    FakeClock clock = FakeClock.create(dir.resolve("clock"));
    assertThat(Files.readString(clock.offsetFile())).isEqualTo("+0\n");
    clock.jump(Duration.ofSeconds(-90));
    assertThat(Files.readString(clock.offsetFile())).isEqualTo("-90\n");
    assertThat(clock.offset()).isEqualTo(Duration.ofSeconds(-90));
    assertThat(clock.environment())
        .containsEntry("FAKETIME_TIMESTAMP_FILE", clock.offsetFile().toString())
        .containsEntry("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .containsEntry("FAKETIME_CACHE_DURATION", "1")
        .containsEntry("FAKETIME_FORCE_MONOTONIC_FIX", "0")
        .containsKey("LD_PRELOAD");
  }

  @Test
  void aJumpOfAFractionOfASecondIsRefusedAndChangesNothing() throws Exception {
    assumeThat(FakeClock.available()).as("libfaketime installed").isTrue();
    FakeClock clock = FakeClock.create(dir);
    assertThatThrownBy(() -> clock.jump(Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole seconds");
    assertThat(Files.readString(clock.offsetFile())).isEqualTo("+0\n");
  }

  @Test
  void aRunningJvmsWallClockFollowsJumpsWhileItsMonotonicClockRunsOn() throws Exception {
    assumeThat(FakeClock.available()).as("libfaketime installed").isTrue();
    FakeClock clock = FakeClock.create(dir);
    try (ProbeProcess probe = ProbeProcess.start(clock.environment())) {
      long[] before = times(probe);
      assertThat(Math.abs(before[0] - System.currentTimeMillis())).isLessThan(60_000);

      clock.jump(Duration.ofHours(1));
      long[] ahead = awaitOffset(probe, 3_600_000L);
      assertThat(ahead[1] - before[1]).as("monotonic time passed").isBetween(0L, 60_000L);

      clock.jump(Duration.ofHours(-1));
      long[] behind = awaitOffset(probe, -3_600_000L);
      assertThat(behind[1]).isGreaterThanOrEqualTo(ahead[1]);

      clock.jump(Duration.ZERO);
      awaitOffset(probe, 0);
    }
  }

  @Test
  void withoutTheEnvironmentAJvmKeepsRealTime() throws Exception {
    assumeThat(FakeClock.available()).as("libfaketime installed").isTrue();
    FakeClock clock = FakeClock.create(dir);
    clock.jump(Duration.ofDays(3));
    try (ProbeProcess probe = ProbeProcess.start(Map.of())) {
      assertThat(Math.abs(times(probe)[0] - System.currentTimeMillis())).isLessThan(60_000);
    }
  }

  /** Asks the probe's clocks until its wall clock is offset from ours as expected (1 min slack). */
  private static long[] awaitOffset(ProbeProcess probe, long offsetMillis) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      long[] t = times(probe);
      if (Math.abs(t[0] - System.currentTimeMillis() - offsetMillis) < 60_000) {
        return t;
      }
      assertThat(System.nanoTime()).as("the jump took effect within 5 s").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static long[] times(ProbeProcess probe) throws Exception {
    String[] words = probe.ask("time").split(" ", -1);
    return new long[] {Long.parseLong(words[0]), Long.parseLong(words[1])};
  }
}
