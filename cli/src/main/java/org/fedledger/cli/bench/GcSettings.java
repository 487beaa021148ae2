package org.fedledger.cli.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The garbage collector this JVM runs and G1's pause-time goal, reported with the figures because
 * they decide the latency tail: with G1's default goal of 200 ms, young pauses took 14-120 ms on
 * three nodes at 5,100 transfers/s, and each pause delays every transfer in flight. The {@code
 * fedledger} launcher sets a goal of 20 ms (BENCHMARKS.md, session 10).
 */
record GcSettings(List<String> collectors, OptionalLong pauseGoalMillis) {

  /** The goal the launcher sets; a longer one gets a hint. */
  static final long LAUNCHER_PAUSE_GOAL_MILLIS = 20;

  /** This JVM's settings. */
  static GcSettings current() {
    List<String> names =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .toList();
    return new GcSettings(names, pauseGoal());
  }

  private static OptionalLong pauseGoal() {
    HotSpotDiagnosticMXBean hotSpot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (hotSpot == null) {
      return OptionalLong.empty(); // not a HotSpot JVM
    }
    try {
      VMOption option = hotSpot.getVMOption("MaxGCPauseMillis");
      return OptionalLong.of(Long.parseLong(option.getValue()));
    } catch (IllegalArgumentException e) {
      return OptionalLong.empty(); // no such option, or not a number
    }
  }

  boolean isG1() {
    return collectors.stream().anyMatch(n -> n.startsWith("G1 "));
  }

  /** For example "G1 Young Generation, G1 Concurrent GC, G1 Old Generation; pause goal 20 ms". */
  String describe() {
    String names = collectors.isEmpty() ? "unknown collector" : String.join(", ", collectors);
    return isG1() && pauseGoalMillis.isPresent()
        ? names + "; pause goal " + pauseGoalMillis.getAsLong() + " ms"
        : names;
  }

  /** Advice when G1 aims at pauses longer than the launcher's goal, else empty. */
  Optional<String> hint() {
    if (!isG1()
        || pauseGoalMillis.isEmpty()
        || pauseGoalMillis.getAsLong() <= LAUNCHER_PAUSE_GOAL_MILLIS) {
      return Optional.empty();
    }
    return Optional.of(
        "G1 aims at "
            + pauseGoalMillis.getAsLong()
            + " ms pauses here, which lengthen the latency tail; the ./fedledger launcher runs"
            + " with -XX:MaxGCPauseMillis="
            + LAUNCHER_PAUSE_GOAL_MILLIS);
  }
}
