/** SHA-256 digests as a value type. */
package org.fedledger.core.hash;
