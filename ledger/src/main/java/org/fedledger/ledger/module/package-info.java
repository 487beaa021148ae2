/**
 * The framework for built-in contracts. A {@link org.fedledger.ledger.module.Module} owns a name,
 * its message types (decoder and handler), its slice of state (reached only through its own {@link
 * org.fedledger.ledger.module.StoreKey}), its genesis and its events. Modules call each other only
 * through narrow interfaces one of them exports (such as the bank's keeper), never through each
 * other's state. The {@link org.fedledger.ledger.module.ModuleRegistry} routes a transaction's
 * (module, message type) to its handler.
 */
package org.fedledger.ledger.module;
