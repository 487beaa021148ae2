/** {@code fedledger keys}: create and inspect Ed25519 key files. */
package org.fedledger.cli.keys;
