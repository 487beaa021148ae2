package org.fedledger.ledger;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.fedledger.core.address.Address;

/**
 * Everything a chain starts from. Every node of a network must be given an identical genesis: its
 * hash is the parent of block 1, and {@link Ledger#open} refuses a data directory made from
 * another.
 *
 * @param chainId the network's name; transactions for any other are refused
 * @param genesisTimeMillis timestamp of the genesis header
 * @param admin the only address allowed to add and remove validators
 * @param validators the initial validator set
 * @param accounts initial balances
 * @param blockLimits how large a block may be, for every node alike
 */
public record Genesis(
    String chainId,
    long genesisTimeMillis,
    Address admin,
    List<ValidatorInfo> validators,
    List<Account> accounts,
    BlockLimits blockLimits) {

  /** A genesis with the default block limits. */
  public Genesis(
      String chainId,
      long genesisTimeMillis,
      Address admin,
      List<ValidatorInfo> validators,
      List<Account> accounts) {
    this(chainId, genesisTimeMillis, admin, validators, accounts, BlockLimits.DEFAULT);
  }

  /** An initial bank balance. */
  public record Account(Address address, long balance) {
    public Account {
      Objects.requireNonNull(address, "address");
      if (balance < 0) {
        throw new IllegalArgumentException("genesis balance of " + address + " is negative");
      }
    }
  }

  public Genesis {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(blockLimits, "blockLimits");
    if (chainId.isBlank()) {
      throw new IllegalArgumentException("genesis chainId must not be blank");
    }
    // Sorted copies: the genesis state and its hash must not depend on the order in a file.
    validators =
        validators.stream().sorted(Comparator.comparing(v -> v.publicKey().toHex())).toList();
    accounts = accounts.stream().sorted(Comparator.comparing(Account::address)).toList();
    TreeSet<String> keys = new TreeSet<>();
    for (ValidatorInfo v : validators) {
      if (!keys.add(v.publicKey().toHex())) {
        throw new IllegalArgumentException("genesis lists validator " + v.publicKey() + " twice");
      }
    }
    TreeSet<Address> addresses = new TreeSet<>();
    long supply = 0;
    for (Account a : accounts) {
      if (!addresses.add(a.address())) {
        throw new IllegalArgumentException("genesis lists account " + a.address() + " twice");
      }
      try {
        supply = Math.addExact(supply, a.balance());
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("genesis balances add up to more than 2^63-1", e);
      }
    }
  }

  /** Sum of the initial balances. */
  public long totalSupply() {
    long supply = 0;
    for (Account a : accounts) {
      supply += a.balance();
    }
    return supply;
  }
}
