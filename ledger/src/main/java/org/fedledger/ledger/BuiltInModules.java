package org.fedledger.ledger;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.ledger.bank.BankModule;
import org.fedledger.ledger.blobs.BlobServersModule;
import org.fedledger.ledger.market.MarketModule;
import org.fedledger.ledger.module.Module;
import org.fedledger.ledger.training.TrainingContracts;
import org.fedledger.ledger.validators.ValidatorsModule;

/**
 * The one place the built-in contracts are constructed and wired to each other's keepers. Every
 * node must run the same set with the same parameters: they are part of the state machine.
 *
 * @param all every module, in any order (the registry sorts them by name)
 */
record BuiltInModules(
    BankModule bank,
    ValidatorsModule validators,
    TrainingContracts contracts,
    MarketModule market,
    BlobServersModule blobServers,
    List<Module> all) {
  static BuiltInModules create() {
    BankModule bank = new BankModule();
    ValidatorsModule validators = new ValidatorsModule();
    TrainingContracts contracts =
        TrainingContracts.create(bank, ctx -> validators.validators(ctx.query()));
    MarketModule market = new MarketModule(bank, contracts.registry());
    List<Module> all = new ArrayList<>(List.of(bank, validators));
    all.addAll(contracts.modules());
    all.add(market);
    BlobServersModule blobServers = new BlobServersModule();
    all.add(blobServers);
    return new BuiltInModules(bank, validators, contracts, market, blobServers, List.copyOf(all));
  }
}
