package org.fedledger.learning.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A thread of our own that runs PyTorch must not start an OpenMP team: with one intra-op thread
 * configured, a matrix product on a new thread adds no native thread to the process.
 */
class EnginesThreadsTest {
  @Test
  void aMatrixProductOnAConfiguredThreadStartsNoOpenMpTeam() throws Exception {
    assumeTrue(
        Runtime.getRuntime().availableProcessors() >= 2, "OpenMP starts no team on one core");
    assertThat(threadsStartedByAProduct(true)).isZero();
  }

  @Test
  void anUnconfiguredThreadWouldStartOne() throws Exception {
    // The control: without configureThisThread the same product starts OpenMP workers, so the test
    // above can fail (and would, were the call dropped).
    assumeTrue(
        Runtime.getRuntime().availableProcessors() >= 2, "OpenMP starts no team on one core");
    assertThat(threadsStartedByAProduct(false)).isPositive();
  }

  /** Native threads the process gained while a fresh thread multiplied two 512 × 512 matrices. */
  private static int threadsStartedByAProduct(boolean configure) throws Exception {
    Engines.pytorch();
    AtomicInteger started = new AtomicInteger(-1);
    Thread t =
        new Thread(
            () -> {
              if (configure) {
                Engines.configureThisThread();
              }
              try (NDManager m = Engines.pytorch().newBaseManager()) {
                // Made from Java floats, as a served batch is: no PyTorch kernel has run on this
                // thread before the product.
                NDArray a = m.create(new float[512 * 512], new Shape(512, 512));
                int before = osThreads();
                a.matMul(a).toFloatArray();
                started.set(osThreads() - before);
              }
            });
    t.start();
    t.join();
    return started.get();
  }

  private static int osThreads() {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      return (int) tasks.count();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
