package org.jwws.shared;

/**
 * Why a conversation ended before its handler gave the final answer.
 */
public enum EndReason {
  /** The client sent {@code cancel}; it was answered 499. */
  CANCELLED,
  /** The client connection closed. */
  CLIENT_GONE,
  /** The gateway's request timeout passed; the client was answered 504. */
  TIMED_OUT,
  /** The handler's verticle is being undeployed; the client was answered 503 "handler stopped". */
  HANDLER_STOPPED
}
