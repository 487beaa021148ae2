/**
 * Test support: running the CLI in-process and node processes. Networks on free ports come from
 * node's test kit ({@code org.fedledger.node.testing}), free ports from {@code
 * org.fedledger.testkit}.
 */
package org.fedledger.cli.testing;
