/**
 * Private keys on disk. Key files are JSON, created owner-only (0600) in owner-only directories
 * (0700) atomically at creation time, never chmod-ed afterwards, so there is no moment when another
 * user can read them; a key file that the group or others can read is refused on load.
 */
package org.fedledger.node.keys;
