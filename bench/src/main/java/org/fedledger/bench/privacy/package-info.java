/**
 * JMH benchmarks of privacy accounting: the RDP accountant that the chain's contracts run, and the
 * blocks of a DP job (joins that reserve budget, a round's updates that spend it) against the same
 * blocks of a job without DP.
 */
package org.fedledger.bench.privacy;
