/**
 * JMH benchmarks of fedledger, one package per subject; run them from {@code
 * bench/target/benchmarks.jar}. The ledger's end-to-end load generator is {@code fedledger bench
 * ledger} (org.fedledger.cli.bench); measured figures live in BENCHMARKS.md, never in tests.
 */
package org.fedledger.bench;
