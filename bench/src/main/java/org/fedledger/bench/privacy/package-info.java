/** JMH benchmarks of the RDP accountant that the chain's contracts run. */
package org.fedledger.bench.privacy;
