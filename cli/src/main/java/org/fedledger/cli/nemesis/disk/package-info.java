/**
 * Disk faults for the nemesis: a full disk as one node process sees it, and a corrupted or
 * truncated file of a stopped node's data directory ({@link
 * org.fedledger.cli.nemesis.disk.DiskFaults}), by the kinds of file that hold a node's state
 * ({@link org.fedledger.cli.nemesis.disk.DataFileKind}).
 */
package org.fedledger.cli.nemesis.disk;
