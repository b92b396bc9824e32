package org.jwws.shared;

/**
 * Status codes of the wire contract, carried in {@code code} of responses and acks.
 * A handler may answer any other code it chooses.
 */
public final class Status {

  public static final int OK = 200;
  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHORIZED = 401;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  public static final int CONFLICT = 409;
  public static final int TOO_LARGE = 413;
  public static final int TOO_MANY = 429;
  /** The client cancelled the request before the handler answered. */
  public static final int CANCELLED = 499;
  public static final int HANDLER_FAILED = 500;
  public static final int UNAVAILABLE = 503;
  public static final int TIMEOUT = 504;

  private Status() {
  }

  /** The {@code msg} sent with a code when nothing more specific is known. */
  public static String reason(int code) {
    switch (code) {
      case OK: return "success";
      case BAD_REQUEST: return "bad request";
      case UNAUTHORIZED: return "unauthorized";
      case FORBIDDEN: return "forbidden";
      case NOT_FOUND: return "not found";
      case CONFLICT: return "id already in use";
      case TOO_LARGE: return "too large";
      case TOO_MANY: return "too many";
      case CANCELLED: return "cancelled";
      case HANDLER_FAILED: return "handler failed";
      case UNAVAILABLE: return "unavailable";
      case TIMEOUT: return "timeout";
      default: return "";
    }
  }
}
