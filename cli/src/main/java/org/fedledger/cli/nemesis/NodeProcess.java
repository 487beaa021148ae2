package org.fedledger.cli.nemesis;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@code fedledger node start} in its own JVM, on this JVM's classpath (the test's, or the
 * fedledger jar's). Output goes to a log file beside the node's configuration, for diagnosis when a
 * run fails. Callers kill their processes themselves; any still running when this JVM exits (say,
 * stopped by surefire's timeout or by Ctrl-C) are killed by a shutdown hook.
 *
 * <p>Extra environment variables and JVM arguments reach every start: a clock fault preloads
 * libfaketime ({@code LD_PRELOAD}, {@code FAKETIME_*}), a partition gives the JVM its own hosts
 * file ({@code -Djdk.net.hosts.file}).
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
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final List<String> jvmArgs = new ArrayList<>();
  private Process process;
  private int starts;

  public NodeProcess(Path config) {
    this.config = config;
    this.log = config.resolveSibling("node.log");
  }

  /** Sets an environment variable of the node's JVM from its next start on. */
  public NodeProcess optEnvironment(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Sets every variable of env (see {@link #optEnvironment(String, String)}). */
  public NodeProcess optEnvironment(Map<String, String> env) {
    environment.putAll(env);
    return this;
  }

  /** Adds a JVM argument (before the main class) from the node's next start on. */
  public NodeProcess optJvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
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
    command.addAll(jvmArgs);
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

  /** The running JVM's process id. */
  public long pid() {
    if (process == null) {
      throw new IllegalStateException(config + ": the node was never started");
    }
    return process.pid();
  }

  /** The exit status, once the process ended by itself within the timeout; empty if it runs. */
  public Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? Optional.of(process.exitValue())
        : Optional.empty();
  }

  /** kill -9: no shutdown hook, no flush. A paused process is killed as well. */
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

  /**
   * SIGSTOP: the JVM stops in its tracks, sockets open, as a long GC pause or a suspended VM would.
   * The JDK has no API for it, so this runs {@code kill -STOP}.
   */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT: a paused JVM runs on. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(pid()))
            .redirectErrorStream(true)
            .start();
    String output =
        new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + pid() + " failed: " + output.strip());
    }
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
