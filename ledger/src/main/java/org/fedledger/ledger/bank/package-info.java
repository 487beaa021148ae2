/**
 * The bank module: token balances, transfers and a conserved total supply. Other modules move
 * tokens only through the {@link org.fedledger.ledger.bank.BankKeeper} it exports.
 */
package org.fedledger.ledger.bank;
