package org.fedledger.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class GcSettingsTest {
  private static final List<String> G1 =
      List.of("G1 Young Generation", "G1 Concurrent GC", "G1 Old Generation");

  @Test
  void reportsThisJvmsCollectors() {
    GcSettings current = GcSettings.current();
    List<String> expected =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .toList();
    assertThat(current.collectors()).isEqualTo(expected);
    assertThat(current.describe()).contains(expected.get(0));
  }

  @Test
  void g1WithItsDefaultGoalGetsAHintNamingTheLaunchersGoal() {
    GcSettings defaults = new GcSettings(G1, OptionalLong.of(200));
    assertThat(defaults.describe()).endsWith("; pause goal 200 ms");
    assertThat(defaults.hint())
        .hasValueSatisfying(
            h -> assertThat(h).contains("200 ms").contains("-XX:MaxGCPauseMillis=20"));
  }

  @Test
  void noHintAtTheLaunchersGoalOrForAnotherCollector() {
    assertThat(new GcSettings(G1, OptionalLong.of(20)).hint()).isEmpty();
    assertThat(new GcSettings(G1, OptionalLong.empty()).hint()).isEmpty();
    GcSettings zgc =
        new GcSettings(List.of("ZGC Minor Cycles", "ZGC Major Cycles"), OptionalLong.of(200));
    assertThat(zgc.hint()).isEmpty();
    assertThat(zgc.describe()).isEqualTo("ZGC Minor Cycles, ZGC Major Cycles");
  }
}
