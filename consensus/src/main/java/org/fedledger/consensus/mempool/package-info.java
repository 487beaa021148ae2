/**
 * The mempool: admission of encoded transactions (decode, size, signature and stateful checks
 * spread over all cores), per-sender nonce queues, duplicate detection, a bounded capacity, and
 * reaping in an order that executes. Transactions leave it when a committed block includes them or
 * their nonce becomes stale.
 */
package org.fedledger.consensus.mempool;
