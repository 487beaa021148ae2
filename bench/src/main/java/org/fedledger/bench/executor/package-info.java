/** JMH benchmarks of the block executor: applying a block of transfers to a real ledger. */
package org.fedledger.bench.executor;
