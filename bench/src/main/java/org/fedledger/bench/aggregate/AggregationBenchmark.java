package org.fedledger.bench.aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fedledger.learning.aggregate.AggregationInput;
import org.fedledger.learning.aggregate.AggregationResult;
import org.fedledger.learning.aggregate.ClientUpdate;
import org.fedledger.learning.aggregate.Parallel;
import org.fedledger.learning.aggregate.Strategies;
import org.fedledger.learning.aggregate.StrategyAggregator;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One aggregation round: {@code clients} updates of {@code parameters} floats each (default 100 x
 * 1.66 M, the size of the simulation's CNN), split over two tensors like a layer's weight and bias.
 * Needs about {@code clients * parameters * 4} bytes of heap for the updates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx3g"})
public class AggregationBenchmark {
  @Param({"fedavg", "fedadam", "median", "trimmed-mean:0.1", "multi-krum:10"})
  public String strategy;

  @Param({"100"})
  public int clients;

  @Param({"1660000"})
  public int parameters;

  @Param({"1", "2"})
  public int threads;

  private StrategyAggregator aggregator;
  private AggregationInput input;

  @Setup(Level.Trial)
  public void setUp() {
    aggregator = Strategies.parse(strategy, new Parallel(threads));
    SplittableRandom random = new SplittableRandom(1);
    int bias = 1000;
    Weights global = model(random, parameters - bias, bias, 1.0);
    List<ClientUpdate> updates = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      updates.add(
          new ClientUpdate(
              String.format("client-%04d", i),
              100 + random.nextInt(900),
              model(random, parameters - bias, bias, 0.01)));
    }
    input = new AggregationInput(global, updates);
  }

  @Benchmark
  public AggregationResult aggregate() {
    return aggregator.aggregate(input);
  }

  private static Weights model(SplittableRandom random, int weights, int bias, double scale) {
    return new Weights(
        List.of(
            new NamedTensor("fc_weight", new long[] {weights}, values(random, weights, scale)),
            new NamedTensor("fc_bias", new long[] {bias}, values(random, bias, scale))));
  }

  private static float[] values(SplittableRandom random, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
    }
    return v;
  }
}
