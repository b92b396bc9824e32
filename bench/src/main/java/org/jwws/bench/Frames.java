package org.jwws.bench;

/**
 * Reads the few numbers the generator needs from a frame without parsing all of it: at these
 * rates a full JSON parse per delivery would measure the generator, not the server.
 */
final class Frames {

  private Frames() {
  }

  /** The whole number after {@code "key":}, or {@code missing} when the key is absent. */
  static long number(String text, String key, long missing) {
    int at = text.indexOf(key);
    if (at < 0) {
      return missing;
    }
    int i = at + key.length();
    long value = 0;
    boolean negative = i < text.length() && text.charAt(i) == '-';
    if (negative) {
      i++;
    }
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    return negative ? -value : value;
  }
}
