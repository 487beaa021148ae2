/** Test support: running the CLI in-process, networks on free ports, node processes. */
package org.fedledger.cli.testing;
