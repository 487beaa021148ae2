package org.fedledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedledger.ledger.TestNet.address;

import java.util.List;
import org.junit.jupiter.api.Test;

class GenesisTest {
  private static Genesis withAccounts(List<Genesis.Account> accounts) {
    return new Genesis("c", 0, address(900), List.of(), accounts);
  }

  @Test
  void refusesDuplicateAccountsAndValidators() {
    Genesis.Account a = new Genesis.Account(address(1), 5);
    assertThatThrownBy(() -> withAccounts(List.of(a, a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    ValidatorInfo v = new ValidatorInfo(TestNet.key(1000).publicKey(), 1, "h:1", "h:2");
    assertThatThrownBy(() -> new Genesis("c", 0, address(900), List.of(v, v), List.of()))
        .hasMessageContaining("twice");
  }

  @Test
  void refusesNegativeBalancesASupplyOverflowAndABlankChain() {
    assertThatThrownBy(() -> new Genesis.Account(address(1), -1)).hasMessageContaining("negative");
    assertThatThrownBy(
            () ->
                withAccounts(
                    List.of(
                        new Genesis.Account(address(1), Long.MAX_VALUE),
                        new Genesis.Account(address(2), 1))))
        .hasMessageContaining("2^63-1");
    assertThatThrownBy(() -> new Genesis(" ", 0, address(900), List.of(), List.of()))
        .hasMessageContaining("chainId");
    assertThatThrownBy(() -> new ValidatorInfo(TestNet.key(1).publicKey(), 0, "h:1", "h:2"))
        .hasMessageContaining("power");
  }

  @Test
  void listsAreSortedSoFileOrderDoesNotMatter() {
    Genesis g =
        withAccounts(
            List.of(new Genesis.Account(address(2), 1), new Genesis.Account(address(1), 2)));
    assertThat(g.accounts())
        .extracting(Genesis.Account::address)
        .isSortedAccordingTo(org.fedledger.core.address.Address::compareTo);
    assertThat(g.totalSupply()).isEqualTo(3);
  }
}
