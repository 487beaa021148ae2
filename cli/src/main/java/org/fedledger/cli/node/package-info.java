/** {@code fedledger node}: run a validator process from its configuration file. */
package org.fedledger.cli.node;
