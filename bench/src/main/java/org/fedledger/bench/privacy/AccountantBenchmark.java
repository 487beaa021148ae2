package org.fedledger.bench.privacy;

import java.util.concurrent.TimeUnit;
import org.fedledger.core.privacy.RdpAccountant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a contract pays for one ε: {@code firstUse} builds the accountant for (σ, q) never seen
 * before (a new σ every call, so the per-(σ, q) memo never hits) and asks ε; {@code repeated} asks
 * for parameters already seen, as the rounds of one job do. q = 256/60000, 14,063 steps (60 epochs
 * of TF Privacy's MNIST tutorial), δ = 1e-5.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AccountantBenchmark {
  private long sigmaMicros = 1_100_000;

  @Benchmark
  public long firstUse() {
    sigmaMicros = sigmaMicros >= 2_000_000 ? 1_100_000 : sigmaMicros + 1;
    return RdpAccountant.sampledGaussian(sigmaMicros, 4_267).epsilonMicros(14_063, 10_000_000);
  }

  @Benchmark
  public long repeated() {
    return RdpAccountant.sampledGaussian(1_100_000, 4_267).epsilonMicros(14_063, 10_000_000);
  }
}
