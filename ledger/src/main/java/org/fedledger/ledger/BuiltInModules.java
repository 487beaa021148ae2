package org.fedledger.ledger;

import java.util.List;
import org.fedledger.ledger.bank.BankModule;
import org.fedledger.ledger.module.Module;
import org.fedledger.ledger.registry.RegistryModule;
import org.fedledger.ledger.staking.StakingModule;
import org.fedledger.ledger.staking.StakingParams;
import org.fedledger.ledger.training.TrainingModule;
import org.fedledger.ledger.training.TrainingParams;
import org.fedledger.ledger.validators.ValidatorsModule;

/**
 * The one place the built-in contracts are constructed and wired to each other's keepers. Every
 * node must run the same set with the same parameters: they are part of the state machine.
 *
 * @param all every module, in any order (the registry sorts them by name)
 */
record BuiltInModules(BankModule bank, ValidatorsModule validators, List<Module> all) {
  static BuiltInModules create() {
    BankModule bank = new BankModule();
    ValidatorsModule validators = new ValidatorsModule();
    StakingModule staking = new StakingModule(bank, StakingParams.defaults());
    RegistryModule registry = new RegistryModule();
    TrainingModule training =
        new TrainingModule(
            bank,
            staking,
            registry,
            ctx -> validators.validators(ctx.query()),
            TrainingParams.defaults());
    return new BuiltInModules(
        bank, validators, List.of(bank, validators, staking, registry, training));
  }
}
