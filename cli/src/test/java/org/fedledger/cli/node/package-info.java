/** Process-level tests of {@code fedledger node start}. */
package org.fedledger.cli.node;
