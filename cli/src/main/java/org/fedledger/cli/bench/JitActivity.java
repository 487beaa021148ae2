package org.fedledger.cli.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * How busy the JIT compilers are, from the JVM's own counter. A freshly started network keeps the
 * compilers busy for tens of seconds (three Raft stacks with gRPC are a lot of code), and a
 * measurement taken meanwhile mostly shows the compiler: the warm-up runs until this settles.
 */
final class JitActivity {
  private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();

  private JitActivity() {}

  /** False if this JVM does not report compilation time; then the warm-up cannot watch it. */
  static boolean monitored() {
    return COMPILER != null && COMPILER.isCompilationTimeMonitoringSupported();
  }

  /** Milliseconds the compiler threads have spent compiling since the JVM started. */
  static long compileMillis() {
    return monitored() ? COMPILER.getTotalCompilationTime() : 0;
  }
}
