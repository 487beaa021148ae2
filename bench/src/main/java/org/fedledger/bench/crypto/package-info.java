/** JMH benchmarks of signature verification, the dominant per-transaction cost of a node. */
package org.fedledger.bench.crypto;
