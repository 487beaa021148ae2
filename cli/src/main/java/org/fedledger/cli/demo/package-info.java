/**
 * {@code fedledger demo}: a whole training network in one process — validators, data owners (one
 * malicious), a job run to completion on the chain — with live progress, a summary, an audit of the
 * resulting model's lineage and an optional JSON report.
 */
package org.fedledger.cli.demo;
