/**
 * A network of real nodes in this process, for {@code fedledger demo} and {@code fedledger bench
 * trust}: {@link org.fedledger.cli.local.LocalNodes} lays it out with the code behind {@code
 * fedledger init}, writes the owners' data where their nodes read it, and starts a {@link
 * org.fedledger.node.FedledgerNode} per validator from its generated configuration, so that what
 * runs is exactly what a deployment runs (owners' agents inside their nodes, blobs over HTTP, the
 * REST API and dashboard). {@link org.fedledger.cli.local.LocalJob} then drives a job through those
 * nodes as a sponsor and its owners would.
 */
package org.fedledger.cli.local;
