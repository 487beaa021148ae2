/**
 * The {@code fedledger} command: one picocli command tree over every part of the system. Each
 * subcommand lives in its own package; this one holds the entry point, the top-level command and
 * the error handling that turns failures into a one-line message and a non-zero exit code.
 */
package org.fedledger.cli;
