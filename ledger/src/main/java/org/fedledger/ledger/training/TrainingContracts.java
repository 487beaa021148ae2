package org.fedledger.ledger.training;

import java.util.List;
import org.fedledger.ledger.bank.BankKeeper;
import org.fedledger.ledger.module.Module;
import org.fedledger.ledger.registry.RegistryModule;
import org.fedledger.ledger.staking.StakingModule;
import org.fedledger.ledger.staking.StakingParams;

/**
 * The training-on-chain contracts wired together: staking, registry and training. The ledger
 * creates one of these and registers {@link #modules()}; none writes genesis state.
 */
public record TrainingContracts(
    StakingModule staking, RegistryModule registry, TrainingModule training) {

  public static TrainingContracts create(BankKeeper bank, ValidatorSetView validators) {
    return create(bank, validators, StakingParams.defaults(), TrainingParams.defaults());
  }

  public static TrainingContracts create(
      BankKeeper bank,
      ValidatorSetView validators,
      StakingParams stakingParams,
      TrainingParams trainingParams) {
    StakingModule staking = new StakingModule(bank, stakingParams);
    RegistryModule registry = new RegistryModule();
    TrainingModule training =
        new TrainingModule(bank, staking, registry, validators, trainingParams);
    return new TrainingContracts(staking, registry, training);
  }

  public List<Module> modules() {
    return List.of(staking, registry, training);
  }
}
