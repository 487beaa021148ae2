package org.fedledger.bench.learning;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.fedledger.learning.simulation.RoundResult;
import org.fedledger.learning.simulation.SimulationConfig;
import org.fedledger.learning.simulation.SimulationListener;
import org.fedledger.learning.simulation.SimulationRunner;
import org.fedledger.learning.simulation.SimulationSummary;

/**
 * Memory and round time of a many-client simulation (default 1,000 clients, the MLP, every client
 * every round, IID, FedAvg) in whatever heap the JVM was given. Reports per round: seconds, test
 * accuracy, heap used now; at the end: peak heap used (sampled every 50 ms, and the sum of the heap
 * pools' peaks), the largest live heap after a GC (GC notifications), the heap maximum, and the
 * process's peak and current resident size ({@code VmHWM}, {@code VmRSS} of {@code
 * /proc/self/status}), which include PyTorch's native memory.
 */
public final class SimulationMemory {
  private static final String USAGE =
      "SimulationMemory [--clients 1000] [--rounds 3] [--model mlp] [--fraction 1.0]"
          + " [--partition iid] [--strategy fedavg] [--train-limit 0] [--test-limit 0]"
          + " [--data DIR] [--seed 42] [--workers PROCESSORS]";

  private SimulationMemory() {}

  public static void main(String[] argv) throws Exception {
    Args.run(USAGE, () -> run(argv));
  }

  private static void run(String[] argv) throws Exception {
    Args args =
        new Args(
            argv,
            List.of(
                "clients",
                "rounds",
                "model",
                "fraction",
                "partition",
                "strategy",
                "train-limit",
                "test-limit",
                "data",
                "seed",
                "workers"));
    String dir = args.get("data", null);
    SimulationConfig config =
        SimulationConfig.builder()
            .clients(args.getInt("clients", 1000))
            .rounds(args.getInt("rounds", 3))
            .fraction(args.getDouble("fraction", 1.0))
            .partition(args.get("partition", "iid"))
            .model(args.get("model", "mlp"))
            .strategy(args.get("strategy", "fedavg"))
            .maliciousFraction(0)
            .attack("none")
            .dataDir(Optional.ofNullable(dir).map(Path::of))
            .seed(args.getInt("seed", 42))
            .trainLimit(args.getInt("train-limit", 0))
            .testLimit(args.getInt("test-limit", 0))
            .threads(Runtime.getRuntime().availableProcessors())
            .build();
    SimulationRunner.validate(config);
    int workers = args.getInt("workers", Runtime.getRuntime().availableProcessors());

    AtomicLong maxAfterGc = new AtomicLong();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc)
          .addNotificationListener(
              (notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                    notification.getType())) {
                  return;
                }
                GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                long used = 0;
                for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                  if (isHeapPool(e.getKey())) {
                    used += e.getValue().getUsed();
                  }
                }
                maxAfterGc.accumulateAndGet(used, Math::max);
              },
              null,
              null);
    }
    AtomicLong sampledPeak = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                sampledPeak.accumulateAndGet(used, Math::max);
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();

    System.out.printf(
        Locale.ROOT,
        "%d clients, %d rounds, model %s, fraction %.2f, %s, %s; heap max %s; %d processors,"
            + " %d workers%n",
        config.clients(),
        config.rounds(),
        config.model(),
        config.fraction(),
        config.partition(),
        config.strategy(),
        mib(Runtime.getRuntime().maxMemory()),
        Runtime.getRuntime().availableProcessors(),
        workers);
    SimulationListener listener =
        new SimulationListener() {
          @Override
          public void started(SimulationConfig c, int trainSamples, int testSamples) {
            System.out.printf(
                Locale.ROOT, "data: %d training, %d test samples%n", trainSamples, testSamples);
          }

          @Override
          public void roundFinished(RoundResult r) {
            System.out.printf(
                Locale.ROOT,
                "round %d: %.1f s, accuracy %.4f, heap used %s, RSS %s%n",
                r.round(),
                r.seconds(),
                r.accuracy(),
                mib(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()),
                status("VmRSS"));
          }
        };
    SimulationSummary summary = new SimulationRunner(config, workers).run(listener);
    sampler.interrupt();

    long poolPeaks = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        poolPeaks += pool.getPeakUsage().getUsed();
      }
    }
    double mean =
        summary.rounds().stream().mapToDouble(RoundResult::seconds).average().orElse(Double.NaN);
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    System.out.printf(
        Locale.ROOT,
        "seconds per round: mean %.1f (total run %.1f s), final accuracy %.4f%n",
        mean,
        summary.seconds(),
        summary.finalAccuracy());
    System.out.printf(
        Locale.ROOT,
        "peak heap used: %s sampled every 50 ms, %s sum of pool peaks; largest live heap after"
            + " GC: %s; heap committed now %s of max %s%n",
        mib(sampledPeak.get()),
        mib(poolPeaks),
        mib(maxAfterGc.get()),
        mib(heap.getCommitted()),
        mib(heap.getMax()));
    System.out.printf(
        Locale.ROOT,
        "resident size: peak (VmHWM) %s, now (VmRSS) %s%n",
        status("VmHWM"),
        status("VmRSS"));
  }

  private static boolean isHeapPool(String name) {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().equals(name)) {
        return pool.getType() == MemoryType.HEAP;
      }
    }
    return false;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }

  /** A field of /proc/self/status such as "VmHWM" in MiB, or "n/a" off Linux. */
  private static String status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          String[] parts = line.substring(field.length() + 1).trim().split("\\s+", -1);
          return mib(Long.parseLong(parts[0]) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
    return "n/a";
  }
}
