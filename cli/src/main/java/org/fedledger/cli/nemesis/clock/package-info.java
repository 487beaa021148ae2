/**
 * Clock faults for the nemesis: {@link org.fedledger.cli.nemesis.clock.FakeClock} moves one node
 * process's wall clock forward and back through libfaketime, leaving its monotonic clock real.
 */
package org.fedledger.cli.nemesis.clock;
