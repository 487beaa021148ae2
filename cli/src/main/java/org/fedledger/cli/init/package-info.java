/** {@code fedledger init}: creates the keys, genesis and node configurations of a new network. */
package org.fedledger.cli.init;
