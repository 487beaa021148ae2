package org.fedledger.cli.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** --faults' labels: each kind by its JSON name, and an unknown one refused with the list. */
class FaultKindTest {
  @Test
  void everyKindParsesFromItsLabel() {
    for (FaultKind k : FaultKind.values()) {
      assertThat(FaultKind.parse(" " + k.label().toUpperCase(java.util.Locale.ROOT))).isEqualTo(k);
    }
  }

  @Test
  void anUnknownKindIsRefusedNamingTheKnownOnes() {
    assertThatThrownBy(() -> FaultKind.parse("flood"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown fault kind 'flood'; the kinds are [partition, kill, pause, clock, disk, damage, slow]");
  }
}
