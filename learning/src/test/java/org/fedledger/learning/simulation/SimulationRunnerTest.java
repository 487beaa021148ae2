package org.fedledger.learning.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** End-to-end runs on the embedded Fashion-MNIST sample, kept small to stay fast. */
class SimulationRunnerTest {
  private static SimulationConfig.Builder small() {
    return SimulationConfig.builder()
        .clients(5)
        .rounds(3)
        .model("logreg")
        .trainLimit(2000)
        .testLimit(1000)
        .batchSize(32)
        .learningRate(0.1)
        .threads(2)
        .seed(7);
  }

  @Test
  void aSmallFederationLearnsWellAboveChance() {
    List<RoundResult> seen = new ArrayList<>();
    double[] initial = new double[1];
    SimulationSummary s =
        new SimulationRunner(small().build())
            .run(
                new SimulationListener() {
                  @Override
                  public void initial(double accuracy, double loss) {
                    initial[0] = accuracy;
                  }

                  @Override
                  public void roundFinished(RoundResult result) {
                    seen.add(result);
                  }
                });
    assertThat(seen).isEqualTo(s.rounds());
    assertThat(s.rounds()).extracting(RoundResult::round).containsExactly(1, 2, 3);
    assertThat(s.rounds()).allSatisfy(r -> assertThat(r.accepted()).isEqualTo(5));
    assertThat(s.rounds()).allSatisfy(r -> assertThat(r.rejected()).isZero());
    // Ten classes: chance is 0.1.
    assertThat(s.finalAccuracy()).isGreaterThan(0.6);
    assertThat(s.finalAccuracy()).isGreaterThan(initial[0] + 0.3);
    assertThat(s.initialAccuracy()).isEqualTo(initial[0]);
    assertThat(s.finalWeightsHash()).hasSize(64);
    assertThat(s.maliciousClients()).isEmpty();
  }

  @Test
  void multiKrumExcludesSignFlippingClientsAndPaysThemNothing() {
    SimulationConfig config =
        small()
            .clients(6)
            .rounds(2)
            .strategy("multi-krum:3")
            .maliciousFraction(1.0 / 3)
            .attack("sign-flip:3")
            .build();
    SimulationSummary s = new SimulationRunner(config).run(SimulationListener.NONE);
    assertThat(s.maliciousClients()).hasSize(2);
    for (RoundResult r : s.rounds()) {
      assertThat(r.maliciousSelected()).isEqualTo(2);
      assertThat(r.excluded()).isEqualTo(3);
      assertThat(r.maliciousScorePpm()).isZero();
    }
    assertThat(s.finalAccuracy()).isGreaterThan(0.5);
  }

  @Test
  void leaveOneOutScoringPaysLabelFlippersLittle() {
    SimulationConfig config =
        small()
            .clients(4)
            .rounds(1)
            .maliciousFraction(0.25)
            .attack("label-flip")
            .leaveOneOut(true)
            .build();
    SimulationSummary s = new SimulationRunner(config).run(SimulationListener.NONE);
    RoundResult r = s.rounds().get(0);
    assertThat(r.maliciousSelected()).isEqualTo(1);
    // An honest quarter would be 250,000 ppm.
    assertThat(r.maliciousScorePpm()).isLessThan(150_000L);
  }

  @Test
  void aCosineScheduleToZeroLeavesTheModelAsItWasInTheLastRound() {
    // Round 2 of 2 trains with cosine's floor (0, kept as the smallest positive float): every step
    // is too small to change a weight, so the model after round 2 is the model after round 1.
    SimulationSummary decayed =
        new SimulationRunner(small().rounds(2).learningRateSchedule("cosine").build())
            .run(SimulationListener.NONE);
    assertThat(decayed.rounds().get(1).accuracy()).isEqualTo(decayed.rounds().get(0).accuracy());
    assertThat(decayed.rounds().get(1).loss()).isEqualTo(decayed.rounds().get(0).loss());

    SimulationSummary constant =
        new SimulationRunner(small().rounds(2).build()).run(SimulationListener.NONE);
    // Round 1 trains at the base rate either way; round 2 does not.
    assertThat(constant.rounds().get(0).loss()).isEqualTo(decayed.rounds().get(0).loss());
    assertThat(constant.rounds().get(1).loss()).isNotEqualTo(constant.rounds().get(0).loss());
  }

  @Test
  void fedProxPullsTheOwnersTowardsTheGlobalModelAndStillLearns() {
    SimulationSummary plain =
        new SimulationRunner(small().rounds(1).build()).run(SimulationListener.NONE);
    SimulationSummary prox =
        new SimulationRunner(small().rounds(1).proxMu(1.0).build()).run(SimulationListener.NONE);
    assertThat(prox.finalWeightsHash()).isNotEqualTo(plain.finalWeightsHash());
    assertThat(prox.finalAccuracy()).isGreaterThan(0.5);
    assertThat(prox.config().proxMu()).isEqualTo(1.0);
  }

  @Test
  void namesOnlyTheLearningModuleKnowsAreCheckedBeforeLoadingData() {
    assertThatThrownBy(() -> new SimulationRunner(small().model("resnet").build()))
        .hasMessageContaining("unknown model preset 'resnet'");
    assertThatThrownBy(() -> new SimulationRunner(small().partition("zipf").build()))
        .hasMessageContaining("unknown partitioner 'zipf'");
    assertThatThrownBy(() -> new SimulationRunner(small().clients(50).trainLimit(20).build()))
        .hasMessageContaining("every client needs at least one");
  }

  @Test
  void configurationValuesAreChecked() {
    assertThatThrownBy(() -> small().fraction(0).build()).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> small().strategy("fedsgd").build())
        .hasMessageContaining("unknown strategy 'fedsgd'");
    assertThatThrownBy(() -> small().attack("backdoor").build())
        .hasMessageContaining("unknown attack 'backdoor'");
    assertThatThrownBy(() -> small().maliciousFraction(-0.1).build())
        .hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> small().rounds(0).build()).hasMessageContaining("rounds");
    assertThatThrownBy(() -> small().learningRateSchedule("step:10").build())
        .hasMessageContaining("unknown schedule 'step'");
    assertThatThrownBy(() -> small().proxMu(-0.1).build())
        .hasMessageContaining("FedProx mu must be zero or positive, got -0.1");
    assertThat(small().learningRateSchedule(" Exp:0.90 ").build().learningRateSchedule())
        .isEqualTo("exp:0.9");
  }
}
