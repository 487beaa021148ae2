package org.fedledger.learning.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run continued from a checkpoint ends exactly where an uninterrupted run ends. */
class SimulationCheckpointTest {
  @TempDir Path dir;

  /** FedAvgM, so that the server optimizer's momentum must carry over too. */
  private static SimulationConfig.Builder small(int rounds) {
    return SimulationConfig.builder()
        .clients(3)
        .rounds(rounds)
        .model("logreg")
        .strategy("fedavgm")
        .trainLimit(300)
        .testLimit(200)
        .learningRate(0.1)
        .threads(1)
        .seed(11);
  }

  @Test
  void stoppingAfterRoundTwoAndContinuingGivesTheUninterruptedRunsWeightsAndRounds() {
    SimulationSummary straight =
        new SimulationRunner(small(3).build()).run(SimulationListener.NONE);

    Path checkpoints = dir.resolve("checkpoints");
    new SimulationRunner(small(2).build()).run(SimulationListener.NONE, checkpoints);
    assertThat(checkpoints.resolve("checkpoint.json")).exists();
    List<RoundResult> replayed = new ArrayList<>();
    SimulationSummary continued =
        new SimulationRunner(small(3).build())
            .run(
                new SimulationListener() {
                  @Override
                  public void roundFinished(RoundResult r) {
                    replayed.add(r);
                  }
                },
                checkpoints);

    assertThat(continued.finalWeightsHash()).isEqualTo(straight.finalWeightsHash());
    assertThat(continued.finalAccuracy()).isEqualTo(straight.finalAccuracy());
    assertThat(continued.initialAccuracy()).isEqualTo(straight.initialAccuracy());
    assertThat(continued.rounds())
        .extracting(RoundResult::accuracy)
        .containsExactlyElementsOf(straight.rounds().stream().map(RoundResult::accuracy).toList());
    assertThat(replayed).extracting(RoundResult::round).containsExactly(1, 2, 3);
    // A checkpoint with no round left to run still reports the uninterrupted run's final figures.
    SimulationSummary finished =
        new SimulationRunner(small(3).build()).run(SimulationListener.NONE, checkpoints);
    assertThat(finished.finalAccuracy()).isEqualTo(straight.finalAccuracy());
    assertThat(finished.finalLoss()).isEqualTo(straight.finalLoss());
    assertThat(finished.finalWeightsHash()).isEqualTo(straight.finalWeightsHash());
    // Only the last round's tensors are kept.
    assertThat(checkpoints.resolve("weights-3.safetensors")).exists();
    assertThat(checkpoints.resolve("weights-2.safetensors")).doesNotExist();
  }

  @Test
  void aCheckpointOfAnotherConfigurationOrPastTheRoundsIsRefusedAndLeftAsItWas() throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    new SimulationRunner(small(2).build()).run(SimulationListener.NONE, checkpoints);
    byte[] before = Files.readAllBytes(checkpoints.resolve("checkpoint.json"));

    assertThatThrownBy(
            () ->
                new SimulationRunner(small(3).seed(12).build())
                    .run(SimulationListener.NONE, checkpoints))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another configuration")
        .hasMessageContaining("seed=11");
    assertThatThrownBy(
            () ->
                new SimulationRunner(small(3).learningRateSchedule("exp:0.9").build())
                    .run(SimulationListener.NONE, checkpoints))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another configuration")
        .hasMessageContaining("lr-schedule=exp:0.9");
    assertThatThrownBy(
            () ->
                new SimulationRunner(small(3).proxMu(0.01).build())
                    .run(SimulationListener.NONE, checkpoints))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prox-mu=0.01");
    assertThatThrownBy(
            () -> new SimulationRunner(small(1).build()).run(SimulationListener.NONE, checkpoints))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("past the 1 rounds");
    assertThat(Files.readAllBytes(checkpoints.resolve("checkpoint.json"))).isEqualTo(before);
  }

  @Test
  void tamperedCheckpointWeightsAreRefused() throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    new SimulationRunner(small(1).build()).run(SimulationListener.NONE, checkpoints);
    Path weights = checkpoints.resolve("weights-1.safetensors");
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length - 1] ^= 1;
    Files.write(weights, bytes);
    assertThatThrownBy(
            () -> new SimulationRunner(small(2).build()).run(SimulationListener.NONE, checkpoints))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match the hash");
  }
}
