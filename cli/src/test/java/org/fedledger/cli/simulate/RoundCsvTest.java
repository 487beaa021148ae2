package org.fedledger.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedledger.learning.simulation.RoundResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundCsvTest {
  @TempDir Path dir;

  @Test
  void eachFinishedRoundIsOnDiskBeforeTheRunEnds() throws Exception {
    Path file = dir.resolve("rounds.csv");
    try (RoundCsv csv = RoundCsv.create(file)) {
      assertThat(Files.readAllLines(file)).containsExactly(RoundCsv.HEADER);
      csv.roundFinished(new RoundResult(1, 0.5, 1.25, 2.0, 4, 3, 1, 0, 1, 0.75, -20));
      // Read while the writer is still open: a run stopped now keeps round 1.
      assertThat(Files.readAllLines(file))
          .containsExactly(RoundCsv.HEADER, "1,1.250000,0.500000,2.000,3,1,0,4,1,0.750000,-20");
    }
  }
}
