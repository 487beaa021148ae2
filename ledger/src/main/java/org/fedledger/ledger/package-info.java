/**
 * The ledger's public API: {@link org.fedledger.ledger.Ledger} applies replicated block proposals
 * through one entry point, admits transactions for the mempool and answers queries. The records
 * beside it are its results. Everything behind it (storage, authenticated state, modules, the
 * executor) lives in sub-packages and is reached only through this class.
 */
package org.fedledger.ledger;
