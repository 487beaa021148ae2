package org.fedledger.cli;

/** A command that ran but could not do what was asked; the message is shown to the user. */
public final class CommandFailedException extends RuntimeException {
  public CommandFailedException(String message) {
    super(message);
  }
}
