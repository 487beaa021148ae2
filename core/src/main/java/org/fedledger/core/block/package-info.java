/**
 * Hashing rules of blocks (block hash, transaction and receipt roots) and the signed statement
 * validators make about each height's state root.
 */
package org.fedledger.core.block;
