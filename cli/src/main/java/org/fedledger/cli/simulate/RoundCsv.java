package org.fedledger.cli.simulate;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private RoundCsv(Path file, Writer out) {
    this.file = file;
    this.out = out;
  }

  /** Creates (or truncates) the file and writes the header. */
  static RoundCsv create(Path file) throws IOException {
    Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    try {
      out.write(HEADER);
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      out.close();
      throw e;
    }
    return new RoundCsv(file, out);
  }

  @Override
  public void roundFinished(RoundResult r) {
    try {
      out.write(
          String.format(
              Locale.ROOT,
              "%d,%.6f,%.6f,%.3f,%d,%d,%d,%d,%d,%.6f,%d%n",
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
