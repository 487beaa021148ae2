/**
 * JMH benchmarks of on-chain privacy accounting: the blocks of a DP job (joins that reserve budget,
 * a round's updates that spend it) against the same blocks of a job without DP.
 */
package org.fedledger.bench.privacy;
