package org.jwws.shared.internal;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A name pattern for config rules: {@code *} matches any run of characters (dots included),
 * everything else matches itself. {@code prices.*} matches {@code prices.eur} and
 * {@code prices.eur.usd}; {@code *} matches every name.
 */
public final class Glob {

  private final String text;
  private final Pattern pattern;

  private Glob(String text) {
    this.text = text;
    StringBuilder regex = new StringBuilder();
    int start = 0;
    for (int star = text.indexOf('*'); star >= 0; star = text.indexOf('*', start)) {
      regex.append(Pattern.quote(text.substring(start, star))).append(".*");
      start = star + 1;
    }
    regex.append(Pattern.quote(text.substring(start)));
    this.pattern = Pattern.compile(regex.toString());
  }

  public static Glob of(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty pattern");
    }
    return new Glob(text);
  }

  public boolean matches(String name) {
    return pattern.matcher(name).matches();
  }

  /** True when any of {@code globs} matches {@code name}. */
  public static boolean anyMatches(List<Glob> globs, String name) {
    for (Glob glob : globs) {
      if (glob.matches(name)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }
}
