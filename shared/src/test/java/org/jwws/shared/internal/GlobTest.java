package org.jwws.shared.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The name patterns of config rules: a star is any run of characters, the rest is literal. */
class GlobTest {

  @Test
  void aTrailingStarMatchesEveryLevelBelowThePrefix() {
    Glob prices = Glob.of("prices.*");
    assertTrue(prices.matches("prices.eur"));
    assertTrue(prices.matches("prices.eur.usd"), "dots included");
    assertTrue(prices.matches("prices."), "the run may be empty");
    assertFalse(prices.matches("prices"), "the dot is part of the pattern");
    assertFalse(prices.matches("old.prices.eur"), "anchored at the start");
    assertFalse(prices.matches("Prices.eur"), "case matters");
  }

  @Test
  void aLoneStarMatchesEveryName() {
    Glob all = Glob.of("*");
    assertTrue(all.matches("user"));
    assertTrue(all.matches("a.b.c"));
    assertTrue(all.matches(""));
  }

  @Test
  void starsAnywhereAndSeveralOfThem() {
    assertTrue(Glob.of("*.eur").matches("prices.eur"));
    assertFalse(Glob.of("*.eur").matches("prices.eur.usd"), "anchored at the end");
    Glob middle = Glob.of("a*b*c");
    assertTrue(middle.matches("abc"));
    assertTrue(middle.matches("a-b-c"));
    assertTrue(middle.matches("abbbc"));
    assertFalse(middle.matches("acb"));
    assertTrue(Glob.of("**").matches("x"), "two stars are one");
  }

  @Test
  void everythingButTheStarIsLiteral() {
    assertTrue(Glob.of("a.b").matches("a.b"));
    assertFalse(Glob.of("a.b").matches("axb"), "a dot is no regex wildcard");
    assertTrue(Glob.of("a+b?").matches("a+b?"));
    assertFalse(Glob.of("a+b?").matches("aab"));
    assertTrue(Glob.of("[x](y)|z").matches("[x](y)|z"));
    assertTrue(Glob.of("q\\E*").matches("q\\E.tail"), "a quote terminator in the text stays literal");
    assertTrue(Glob.of("用户.*").matches("用户.新"));
  }

  @Test
  void anEmptyOrMissingPatternIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Glob.of(""));
    assertThrows(IllegalArgumentException.class, () -> Glob.of(null));
  }

  @Test
  void anyMatchesIsTrueWhenOneOfTheGlobsMatches() {
    List<Glob> globs = List.of(Glob.of("prices.*"), Glob.of("news"));
    assertTrue(Glob.anyMatches(globs, "news"));
    assertTrue(Glob.anyMatches(globs, "prices.eur"));
    assertFalse(Glob.anyMatches(globs, "newsletter"));
    assertFalse(Glob.anyMatches(List.of(), "news"), "no globs match nothing");
    assertEquals("prices.*", globs.get(0).toString(), "printed as written");
  }
}
