package org.fedledger.cli.simulate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.fedledger.learning.simulation.RoundResult;

/** Writes one line per round: round, loss, accuracy, seconds, accepted, rejected, ... */
final class RoundCsv {
  static final String HEADER =
      "round,loss,accuracy,seconds,accepted,rejected,excluded,selected,malicious_selected,train_loss,"
          + "malicious_score_ppm";

  private RoundCsv() {}

  static void write(Path file, List<RoundResult> rounds) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(HEADER);
      out.write('\n');
      for (RoundResult r : rounds) {
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
      }
    }
  }
}
