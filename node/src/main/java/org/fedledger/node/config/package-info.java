/**
 * The files a node starts from: its configuration (who it is, where its data, key and genesis live,
 * which addresses it listens on, who its peers are, how blocks are cut) and the network's genesis
 * document. Both are JSON read with Jackson and validated on load, so a mistake is reported with
 * the file and field at startup rather than as a failure deep inside consensus.
 */
package org.fedledger.node.config;
