package org.jwws.gateway;

import java.security.SecureRandom;

/** New epochs: short random strings, so that a history recreated after a loss is told apart. */
public final class Epochs {

  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Epochs() {
  }

  public static String next() {
    char[] epoch = new char[8];
    for (int i = 0; i < epoch.length; i++) {
      epoch[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(epoch);
  }
}
