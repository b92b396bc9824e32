package org.jwws.shared;

/**
 * Thrown by a command handler to answer with a chosen code and message, e.g.
 * {@code throw new CommandException(404, "user not found")}.
 */
public class CommandException extends RuntimeException {

  private final int code;

  public CommandException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
