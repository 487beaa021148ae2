/**
 * A fedledger node process: {@link org.fedledger.node.FedledgerNode} reads a node configuration,
 * its key and the genesis, starts consensus and the REST API, and wires committed blocks to the
 * event stream and metrics. Subpackages hold the configuration files, key files, API and metrics.
 */
package org.fedledger.node;
