package org.fedledger.learning.attack;

/** Honest behaviour: nothing is poisoned. */
public final class NoAttack implements Attack {
  public static final NoAttack INSTANCE = new NoAttack();

  private NoAttack() {}

  @Override
  public String name() {
    return "none";
  }
}
