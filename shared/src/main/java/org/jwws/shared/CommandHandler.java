package org.jwws.shared;

/**
 * The code behind one command. It may block when its verticle is deployed as a worker (the
 * default). An exception it throws answers the request: a {@link CommandException} with its
 * code and message (as the typed argument accessors of {@link Arguments} throw for a missing or
 * ill-typed argument: 400 naming it), anything else with 500. Exceptions thrown later, in a
 * callback of its own, answer nothing: that code answers with {@code fail} itself.
 */
@FunctionalInterface
public interface CommandHandler {

  void handle(CommandRequest request) throws Exception;
}
