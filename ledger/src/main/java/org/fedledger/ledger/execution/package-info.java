/**
 * Block execution: verifies a proposal's signatures in parallel, runs every transaction in order
 * through the module registry with the per-transaction failure rules (ledger/README.md), keeps the
 * per-account nonces, and produces the block's state overlay and receipts for the ledger to commit.
 */
package org.fedledger.ledger.execution;
