/** Account addresses derived from public keys. */
package org.fedledger.core.address;
