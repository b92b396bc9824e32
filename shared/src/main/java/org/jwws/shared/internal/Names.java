package org.jwws.shared.internal;

/**
 * The naming rule for commands and topics: 1 to 200 characters of ASCII letters, digits and
 * {@code _ - . :}. It keeps event-bus addresses predictable and metrics labels safe.
 */
public final class Names {

  public static final int MAX_LENGTH = 200;

  private Names() {
  }

  public static boolean isValid(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isAllowed(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAllowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
      || c == '_' || c == '-' || c == '.' || c == ':';
  }
}
