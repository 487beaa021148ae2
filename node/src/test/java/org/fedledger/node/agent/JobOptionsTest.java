package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.junit.jupiter.api.Test;

class JobOptionsTest {
  private static final ModelSpec LOGREG = ModelSpecs.preset("logreg");

  private static JobOptions.Builder required() {
    return JobOptions.builder()
        .setModel(LOGREG)
        .setRounds(3)
        .setParticipantsPerRound(4)
        .setStrategy("fedavg");
  }

  @Test
  void optionalValuesTakeTheirDocumentedDefaults() {
    JobOptions o = required().build();

    assertThat(o.model()).isSameAs(LOGREG);
    assertThat(o.rounds()).isEqualTo(3);
    assertThat(o.participantsPerRound()).isEqualTo(4);
    assertThat(o.strategy()).isEqualTo("fedavg");
    assertThat(o.minUpdates()).isEqualTo(1);
    assertThat(o.reward()).isEqualTo(1_000_000);
    assertThat(o.stake()).isEqualTo(10_000);
    assertThat(o.roundBlocks()).isEqualTo(300);
    assertThat(o.commitBlocks()).isEqualTo(300);
    assertThat(o.attestQuorum()).isZero();
  }

  @Test
  void optionalValuesOverrideTheDefaults() {
    JobOptions o =
        required()
            .optMinUpdates(4)
            .optReward(5)
            .optStake(0)
            .optRoundBlocks(25)
            .optCommitBlocks(60)
            .optAttestQuorum(2)
            .build();

    assertThat(o.minUpdates()).isEqualTo(4);
    assertThat(o.reward()).isEqualTo(5);
    assertThat(o.stake()).isZero();
    assertThat(o.roundBlocks()).isEqualTo(25);
    assertThat(o.commitBlocks()).isEqualTo(60);
    assertThat(o.attestQuorum()).isEqualTo(2);
  }

  @Test
  void missingModelIsRefusedNamingItsSetter() {
    JobOptions.Builder b =
        JobOptions.builder().setRounds(1).setParticipantsPerRound(1).setStrategy("fedavg");

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("setModel");
  }

  @Test
  void missingOrEmptyStrategyIsRefused() {
    JobOptions.Builder missing =
        JobOptions.builder().setModel(LOGREG).setRounds(1).setParticipantsPerRound(1);

    assertThatThrownBy(missing::build)
        .hasMessageContaining("setStrategy")
        .hasMessageContaining("none");
    assertThatThrownBy(required().setStrategy("")::build).hasMessageContaining("setStrategy");
    assertThatThrownBy(required().setStrategy("x".repeat(65))::build)
        .hasMessageContaining("1-64 characters");
  }

  @Test
  void missingRoundsOrParticipantsAreRefused() {
    JobOptions.Builder noRounds =
        JobOptions.builder().setModel(LOGREG).setParticipantsPerRound(1).setStrategy("fedavg");
    JobOptions.Builder noParticipants =
        JobOptions.builder().setModel(LOGREG).setRounds(1).setStrategy("fedavg");

    assertThatThrownBy(noRounds::build)
        .hasMessageContaining("setRounds")
        .hasMessageContaining("got 0");
    assertThatThrownBy(noParticipants::build)
        .hasMessageContaining("setParticipantsPerRound")
        .hasMessageContaining("got 0");
  }

  @Test
  void moreMinimumUpdatesThanParticipantsIsRefused() {
    assertThatThrownBy(required().optMinUpdates(5)::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("min updates (5) cannot exceed the participants per round (4)");
  }

  @Test
  void outOfRangeOptionalValuesAreRefusedNamingTheOption() {
    assertThatThrownBy(required().optMinUpdates(0)::build).hasMessageContaining("optMinUpdates");
    assertThatThrownBy(required().optReward(0)::build).hasMessageContaining("optReward");
    assertThatThrownBy(required().optStake(-1)::build).hasMessageContaining("optStake");
    assertThatThrownBy(required().optRoundBlocks(0)::build).hasMessageContaining("optRoundBlocks");
    assertThatThrownBy(required().optCommitBlocks(0)::build)
        .hasMessageContaining("optCommitBlocks");
    assertThatThrownBy(required().optAttestQuorum(-1)::build)
        .hasMessageContaining("optAttestQuorum");
    assertThatThrownBy(required().optAttestQuorum(1001)::build)
        .hasMessageContaining("at most 1000");
  }
}
