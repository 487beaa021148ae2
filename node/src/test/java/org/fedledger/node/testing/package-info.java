/**
 * The node-level half of the test kit, shared with cli's tests through node's test-jar: networks
 * laid out by {@code NetworkInitializer} on free loopback ports ({@link
 * org.fedledger.node.testing.TestNetworks}), a hand-wired training network with injectable faults
 * ({@link org.fedledger.node.testing.TrainingNetwork}) and signed transactions. Free ports and
 * faulty peers come from {@code org.fedledger.testkit}.
 */
package org.fedledger.node.testing;
