/** Transactions: signing, hashing and structural decoding with clear rejections. */
package org.fedledger.core.tx;
