package org.fedledger.cli.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@code fedledger node start} in its own JVM, on this test's classpath. Output goes to a log
 * file beside the node's configuration, for diagnosis when a test fails. Tests kill their processes
 * themselves; any still running when the test JVM exits (say, stopped by surefire's timeout) are
 * killed by a shutdown hook.
 */
public final class NodeProcess implements AutoCloseable {
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "node-process-reaper"));
  }

  private final Path config;
  private final Path log;
  private final Map<String, String> environment = new HashMap<>();
  private Process process;
  private int starts;

  public NodeProcess(Path config) {
    this.config = config;
    this.log = config.resolveSibling("node.log");
  }

  /** Adds environment variables for the next starts (a fault's, e.g. a fake clock's). */
  public NodeProcess withEnvironment(Map<String, String> variables) {
    environment.putAll(variables);
    return this;
  }

  /** The running process's id (for faults injected from outside, e.g. a write limit). */
  public long pid() {
    return process.pid();
  }

  /** The exit status, once the process ended by itself within the timeout; empty if it runs. */
  public Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? Optional.of(process.exitValue())
        : Optional.empty();
  }

  public NodeProcess start() throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx384m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.fedledger.cli.Main");
    command.add("node");
    command.add("start");
    command.add("--config");
    command.add(config.toString());
    starts++;
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    process = builder.start();
    Process started = process;
    RUNNING.add(started);
    var unused = started.onExit().thenRun(() -> RUNNING.remove(started));
    return this;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** kill -9: no shutdown hook, no flush. */
  public void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM: the shutdown hook closes the node cleanly. */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  public Path log() {
    return log;
  }

  public int starts() {
    return starts;
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
