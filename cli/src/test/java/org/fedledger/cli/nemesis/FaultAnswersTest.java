package org.fedledger.cli.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How the nemesis judges a node's answer to a disk fault, on fabricated answers: a damaged data
 * directory must be refused with a non-zero status and the remedy in the log, a full disk must stop
 * the node with status 70; anything else is a violation that says what was wrong.
 */
class FaultAnswersTest {
  private static final String REFUSAL =
      "ERROR StartCommand - the ledger database in /n/data/ledger is corrupt (RocksDB: Corruption:"
          + " block checksum mismatch); the node refuses to run on it. Move the node's data"
          + " directory aside and start the node again: it restores its state from its peers";

  @Test
  void aRefusalWithANonZeroStatusAndTheRemedyInTheLogIsProper() {
    assertThat(DamagedFileFault.refusalProblem(1, "INFO starting\n" + REFUSAL + "\n")).isEmpty();
  }

  @Test
  void aNodeThatStopsWithoutNamingTheRemedyIsAViolation() {
    assertThat(DamagedFileFault.refusalProblem(1, "INFO starting\nERROR something broke\n"))
        .contains(
            "the node stopped with exit status 1 without saying to move its data directory"
                + " aside; a node must refuse damaged state with a non-zero status and the remedy"
                + " in its log");
  }

  @Test
  void aNodeThatStopsWithStatusZeroOnDamagedStateIsAViolation() {
    assertThat(DamagedFileFault.refusalProblem(0, REFUSAL))
        .hasValueSatisfying(p -> assertThat(p).startsWith("the node stopped with exit status 0;"));
  }

  @Test
  void aFullDiskThatStopsTheNodeWithSeventyIsProper() {
    assertThat(FullDiskFault.stopProblem(Optional.of(70))).isEmpty();
  }

  @Test
  void aFullDiskThatStopsTheNodeAnyOtherWayIsAViolation() {
    assertThat(FullDiskFault.stopProblem(Optional.of(134)))
        .contains(
            "the node stopped with exit status 134; a node whose storage fails must stop with 70"
                + " (docs/faults.md)");
    assertThat(FullDiskFault.stopProblem(Optional.empty()))
        .hasValueSatisfying(p -> assertThat(p).contains("exit status unknown"));
  }
}
