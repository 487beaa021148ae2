/** Test support: networks on free loopback ports and signed transactions. */
package org.fedledger.node.testing;
