package org.fedledger.cli.simulate;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.fedledger.learning.simulation.RoundResult;
import org.fedledger.learning.simulation.SimulationConfig;
import org.fedledger.learning.simulation.SimulationListener;

/**
 * Shows simulation progress on stderr: a progress bar when stderr is a terminal, otherwise (pipes,
 * logs, tests) one plain line per round.
 */
final class Progress implements SimulationListener, AutoCloseable {
  private final PrintWriter err;
  private final int rounds;
  private final boolean quiet;
  private ProgressBar bar;

  Progress(PrintWriter err, int rounds, boolean quiet) {
    this.err = err;
    this.rounds = rounds;
    this.quiet = quiet;
  }

  @Override
  public void started(SimulationConfig config, int trainSamples, int testSamples) {
    if (quiet) {
      return;
    }
    err.printf(
        Locale.ROOT,
        "simulating %d clients x %d rounds: %s on %d training / %d test samples, %s, %s%n",
        config.clients(),
        config.rounds(),
        config.model(),
        trainSamples,
        testSamples,
        config.partition(),
        config.strategy());
    err.flush();
    if (isTerminal()) {
      bar =
          new ProgressBarBuilder()
              .setTaskName("rounds")
              .setInitialMax(rounds)
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(System.err))
              .build();
    }
  }

  /**
   * Whether the process talks to a terminal. From JDK 22 on, {@code System.console()} is not null
   * for pipes either; {@code Console.isTerminal()} (JDK 22) tells, but the build targets JDK 21.
   * The null check Error Prone warns about is what JDK 21 needs.
   */
  @SuppressWarnings("SystemConsoleNull")
  private static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // JDK 21: there is a console only on a terminal
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  @Override
  public void initial(double accuracy, double loss) {
    if (!quiet && bar == null) {
      err.printf(Locale.ROOT, "round 0: accuracy %.4f loss %.4f%n", accuracy, loss);
      err.flush();
    }
  }

  @Override
  public void roundFinished(RoundResult r) {
    if (quiet) {
      return;
    }
    // A regression's headline is its RMSE and R²; a classifier's, its accuracy.
    String quality =
        r.metrics().containsKey("rmse")
            ? String.format(
                Locale.ROOT, "rmse %.4f r2 %.4f", r.metrics().get("rmse"), r.metrics().get("r2"))
            : String.format(Locale.ROOT, "accuracy %.4f", r.accuracy());
    String line =
        String.format(
            Locale.ROOT,
            "%s loss %.4f (%d accepted, %d rejected, %d excluded)",
            quality,
            r.loss(),
            r.accepted(),
            r.rejected(),
            r.excluded());
    if (bar != null) {
      bar.step();
      bar.setExtraMessage(line);
    } else {
      err.printf(Locale.ROOT, "round %d/%d: %s, %.1f s%n", r.round(), rounds, line, r.seconds());
      err.flush();
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
