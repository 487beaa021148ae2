/** JMH benchmarks of transaction hashing and a block's transaction Merkle root. */
package org.fedledger.bench.merkle;
