package org.fedledger.learning.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one place that starts DJL's PyTorch engine. fedledger must never reach the network at run
 * time, so before DJL is touched this sets the properties that keep it offline: {@code
 * ai.djl.offline} and {@code offline} stop every download, and {@code PYTORCH_FLAVOR=cpu} names the
 * flavour of the native library that ships in the {@code pytorch-native-cpu} jar on the classpath.
 * DJL's {@code LibUtils} then finds {@code native/lib/pytorch.properties} in that jar and extracts
 * the libraries to its cache ({@code ~/.djl.ai}, or {@code DJL_CACHE_DIR}). {@code PYTORCH_VERSION}
 * is deliberately left unset: an override that differs from the bundled version makes DJL try a
 * download instead of using the jar.
 *
 * <p>It also defaults PyTorch to one intra-op and one inter-op thread ({@code
 * ai.djl.pytorch.num_threads}, {@code ai.djl.pytorch.num_interop_threads}; set them to override).
 * Local training runs many small operations per step; with two OpenMP threads on a busy 2-core
 * machine each operation waits for a descheduled peer, and a training step of the MLP took 100 ms
 * instead of 2.4 ms. Run one trainer per core for parallelism instead. DJL applies the intra-op
 * count only on the thread that loads the engine, so every thread that runs PyTorch calls {@link
 * #configureThisThread} first.
 */
public final class Engines {
  /** DJL's name of the PyTorch engine. */
  public static final String PYTORCH = "PyTorch";

  private Engines() {}

  /**
   * Sets the offline and thread properties (idempotent; values the user set explicitly are kept).
   */
  public static void configure() {
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("offline", "true");
    setIfAbsent("PYTORCH_FLAVOR", "cpu");
    // DJL would otherwise look up usage tracking on first use; it is off in offline mode, but say
    // so explicitly.
    setIfAbsent("OPT_OUT_TRACKING", "true");
    setIfAbsent("ai.djl.pytorch.num_threads", "1");
    setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
  }

  /**
   * The PyTorch engine, loaded from the bundled native library.
   *
   * @throws IllegalStateException if the engine cannot load, with the cause from DJL
   */
  public static Engine pytorch() {
    configure();
    try {
      return Engine.getEngine(PYTORCH);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot load DJL's PyTorch engine offline; check that ai.djl.pytorch:pytorch-native-cpu"
              + " (classifier linux-x86_64) and pytorch-jni are on the classpath and that the DJL"
              + " cache directory (~/.djl.ai or DJL_CACHE_DIR) is writable",
          e);
    }
  }

  /**
   * Gives the calling thread the configured number of intra-op threads ({@code
   * ai.djl.pytorch.num_threads}, 1 unless set). PyTorch keeps that number per thread for threads it
   * did not start: {@code at::set_num_threads} sets OpenMP's and MKL's counts for the calling
   * thread only ({@code omp_set_num_threads}, {@code mkl_set_num_threads_local}), and DJL calls it
   * once, on the thread that loads the engine. Any other thread ran MKL's matrix products on a team
   * of one OpenMP thread per core, whose second thread then spun between products: on the serving
   * benchmark's inference thread that spinning was a third of the process's CPU. Cheap enough to
   * call before each piece of work (a JNI call that sets two thread-local values).
   */
  public static void configureThisThread() {
    pytorch();
    JniUtils.setNumThreads(Integer.getInteger("ai.djl.pytorch.num_threads", 1));
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
