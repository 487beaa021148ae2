/**
 * The node's Prometheus metrics through Micrometer: committed blocks and transactions, mempool
 * size, admission rejections by reason, block apply time. Served by the API at {@code /metrics}.
 */
package org.fedledger.node.metrics;
