/**
 * {@code fedledger bench}: load generators that drive a real in-process network (Raft on Ratis,
 * RocksDB, full signature checks) and report throughput and latency as JSON. The figures and how to
 * reproduce them are in BENCHMARKS.md at the root of the repository.
 */
package org.fedledger.cli.bench;
