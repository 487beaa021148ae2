package org.fedledger.cli.nemesis.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
      long[] ahead = times(probe);
      assertThat(ahead[0] - System.currentTimeMillis()).isBetween(3_540_000L, 3_660_000L);
      assertThat(ahead[1]).isBetween(before[1], before[1] + 60_000);

      clock.jump(Duration.ofHours(-1));
      long[] behind = times(probe);
      assertThat(System.currentTimeMillis() - behind[0]).isBetween(3_540_000L, 3_660_000L);
      assertThat(behind[1]).isGreaterThanOrEqualTo(ahead[1]);

      clock.jump(Duration.ZERO);
      long[] healed = times(probe);
      assertThat(Math.abs(healed[0] - System.currentTimeMillis())).isLessThan(60_000);
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

  private static long[] times(ProbeProcess probe) throws Exception {
    String[] words = probe.ask("time").split(" ", -1);
    return new long[] {Long.parseLong(words[0]), Long.parseLong(words[1])};
  }
}
