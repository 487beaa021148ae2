/** fedledger ledger module. */
package org.fedledger.ledger;
