package org.fedledger.cli.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * A small JVM that the fault primitives' tests start and drive over stdin, one command a line:
 * {@code time} answers the wall clock and the monotonic clock in milliseconds; {@code append FILE
 * N} appends N bytes to FILE and answers {@code ok SIZE} or {@code fail REASON}.
 */
public final class ProbeProcess implements AutoCloseable {
  private final Process process;
  private final BufferedReader replies;
  private final PrintWriter commands;

  private ProbeProcess(Process process) {
    this.process = process;
    this.replies =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.commands =
        new PrintWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
  }

  /** Starts the probe in its own JVM with extra environment variables. */
  public static ProbeProcess start(java.util.Map<String, String> environment) throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-Xmx32m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                ProbeProcess.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(environment);
    return new ProbeProcess(builder.start());
  }

  public long pid() {
    return process.pid();
  }

  /** Sends one command and waits for its one-line answer. */
  public String ask(String command) throws IOException {
    commands.println(command);
    String reply = replies.readLine();
    if (reply == null) {
      throw new IOException("the probe exited before answering '" + command + "'");
    }
    return reply;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public static void main(String[] args) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.split(" ", -1);
      if (words[0].equals("time")) {
        System.out.println(System.currentTimeMillis() + " " + System.nanoTime() / 1_000_000);
      } else if (words[0].equals("append")) {
        try {
          Path file = Path.of(words[1]);
          Files.write(
              file,
              new byte[Integer.parseInt(words[2])],
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
          System.out.println("ok " + Files.size(file));
        } catch (IOException e) {
          System.out.println("fail " + e.getMessage());
        }
      } else {
        System.out.println("unknown command " + line);
      }
      System.out.flush();
    }
  }
}
