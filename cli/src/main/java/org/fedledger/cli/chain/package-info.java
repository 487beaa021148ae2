/**
 * Commands that read and write the chain through a node's REST API: {@code tx}, {@code tx
 * transfer}, {@code block}, {@code account}. They print the node's JSON.
 */
package org.fedledger.cli.chain;
