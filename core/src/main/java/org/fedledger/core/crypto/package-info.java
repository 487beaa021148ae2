/** Ed25519 keys and signatures. */
package org.fedledger.core.crypto;
