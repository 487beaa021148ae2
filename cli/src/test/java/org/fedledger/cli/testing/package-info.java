/**
 * Test support: running the CLI in-process. Node processes are product code ({@code
 * org.fedledger.cli.nemesis.NodeProcess}); networks on free ports come from node's test kit ({@code
 * org.fedledger.node.testing}), free ports from {@code org.fedledger.testkit}.
 */
package org.fedledger.cli.testing;
