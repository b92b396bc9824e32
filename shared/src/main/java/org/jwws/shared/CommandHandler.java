package org.jwws.shared;

/**
 * The code behind one command. It may block when its verticle is deployed as a worker (the
 * default). An exception it throws answers the request: a {@link CommandException} with its
 * code and message, anything else with 500.
 */
@FunctionalInterface
public interface CommandHandler {

  void handle(CommandRequest request) throws Exception;
}
