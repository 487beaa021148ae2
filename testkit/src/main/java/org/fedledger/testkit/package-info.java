/**
 * The test kit every module's tests share: what a test needs and a product class must never do.
 * {@link org.fedledger.testkit.FreePorts} is the one place that looks for free loopback ports;
 * {@link org.fedledger.testkit.GarbageServer} is a peer that answers with bytes that cannot be what
 * was asked (a fault to inject). It depends on no fedledger module, so that core, consensus, node
 * and cli can all use it in test scope; node-level wiring lives in node's test-jar.
 */
package org.fedledger.testkit;
