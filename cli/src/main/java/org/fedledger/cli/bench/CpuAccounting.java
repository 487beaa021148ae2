package org.fedledger.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of this process and of its threads, grouped by thread name with the digits removed
 * ("v0-StateMachineUpdater", "ForkJoinPool-#-worker-#"), between two points of a run. On a shared
 * machine wall-clock figures depend on the neighbours; CPU time per transaction and where it is
 * spent do not, so they are reported alongside.
 */
final class CpuAccounting {
  /** CPU time of one group of threads over the interval. */
  record Group(String name, long cpuNanos) {}

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> startByThread = new HashMap<>();
  private final long processStart;

  private CpuAccounting() {
    if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
    for (long id : threads.getAllThreadIds()) {
      startByThread.put(id, Math.max(0, threads.getThreadCpuTime(id)));
    }
    processStart = processCpuNanos();
  }

  /** Starts counting now. */
  static CpuAccounting start() {
    return new CpuAccounting();
  }

  /** CPU time of the whole process since start (threads that ended included). */
  long processNanos() {
    return processCpuNanos() - processStart;
  }

  /** CPU time per thread group since start, largest first; threads that ended are not listed. */
  List<Group> groups() {
    Map<String, Long> byName = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      long used = cpu - startByThread.getOrDefault(info.getThreadId(), 0L);
      byName.merge(info.getThreadName().replaceAll("[0-9]+", "#"), used, Long::sum);
    }
    List<Group> out = new ArrayList<>();
    byName.forEach((name, cpu) -> out.add(new Group(name, cpu)));
    out.sort((a, b) -> Long.compare(b.cpuNanos(), a.cpuNanos()));
    return out;
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
