/** JMH benchmarks of the authenticated world state: one block's update of the state tree. */
package org.fedledger.bench.state;
