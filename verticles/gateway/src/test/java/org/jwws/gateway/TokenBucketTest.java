package org.jwws.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rate limit of publications and of sub/unsub topics, alone: time is passed in, never waited for. */
class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void startsWithTheBurstAndRefusesTheNext() {
    TokenBucket bucket = new TokenBucket(10, 3);
    long now = System.nanoTime();
    assertTrue(bucket.tryTake(now));
    assertTrue(bucket.tryTake(now));
    assertTrue(bucket.tryTake(now));
    assertFalse(bucket.tryTake(now), "a fourth token within the same instant");
  }

  @Test
  void refillsAtTheRateUpToTheBurst() {
    TokenBucket bucket = new TokenBucket(10, 5);
    long now = System.nanoTime();
    assertTrue(bucket.tryTake(now, 5));
    assertFalse(bucket.tryTake(now + SECOND / 20), "half a token after 50 ms");
    assertTrue(bucket.tryTake(now + SECOND / 10), "one token after 100 ms");
    assertFalse(bucket.tryTake(now + SECOND / 10));
    // a long quiet spell saves up the burst, never more
    long later = now + 60 * SECOND;
    assertTrue(bucket.tryTake(later, 5));
    assertFalse(bucket.tryTake(later));
  }

  @Test
  void aCountTakesAllOrNothing() {
    TokenBucket bucket = new TokenBucket(1, 4);
    long now = System.nanoTime();
    assertFalse(bucket.tryTake(now, 5), "more than the burst");
    assertTrue(bucket.tryTake(now, 4), "the refused count took nothing");
    assertFalse(bucket.tryTake(now, 1));
  }
}
