package org.fedledger.cli.simulate;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.fedledger.learning.simulation.RoundResult;
import org.fedledger.learning.simulation.SimulationListener;

/**
 * rounds.csv, one line per round (round, loss, accuracy, seconds, accepted, rejected, ...), written
 * as each round finishes and flushed, so that a long run that is stopped keeps every finished
 * round.
 */
final class RoundCsv implements SimulationListener, Closeable {
  static final String HEADER =
      "round,loss,accuracy,seconds,accepted,rejected,excluded,selected,malicious_selected,train_loss,"
          + "malicious_score_ppm";

  private final Path file;
  private final Writer out;
  private final List<String> metricColumns;

  private RoundCsv(Path file, Writer out, List<String> metricColumns) {
    this.file = file;
    this.out = out;
    this.metricColumns = List.copyOf(metricColumns);
  }

  /** Creates (or truncates) the file and writes the header. */
  static RoundCsv create(Path file) throws IOException {
    return create(file, List.of());
  }

  /**
   * Creates (or truncates) the file and writes the header, with the given task metrics (see {@link
   * MetricColumns}) as further columns; a metric a round lacks (AUC when the test set holds one
   * class) is an empty field.
   */
  static RoundCsv create(Path file, List<String> metricColumns) throws IOException {
    Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    try {
      out.write(HEADER);
      for (String column : metricColumns) {
        out.write(',');
        out.write(column);
      }
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      out.close();
      throw e;
    }
    return new RoundCsv(file, out, metricColumns);
  }

  @Override
  public void roundFinished(RoundResult r) {
    try {
      out.write(
          String.format(
              Locale.ROOT,
              "%d,%.6f,%.6f,%.3f,%d,%d,%d,%d,%d,%.6f,%d",
              r.round(),
              r.loss(),
              r.accuracy(),
              r.seconds(),
              r.accepted(),
              r.rejected(),
              r.excluded(),
              r.selected(),
              r.maliciousSelected(),
              r.trainLoss(),
              r.maliciousScorePpm()));
      for (String column : metricColumns) {
        Double value = r.metrics().get(column);
        out.write(value == null ? "," : String.format(Locale.ROOT, ",%.6f", value));
      }
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
