package org.jwws.gateway;

/**
 * A token bucket: {@code rate} tokens a second, at most {@code burst} saved up. Not
 * thread-safe; each connection owns one.
 */
final class TokenBucket {

  private final double tokensPerNano;
  private final double burst;
  private double tokens;
  private long lastNanos;

  TokenBucket(int rate, int burst) {
    this.tokensPerNano = rate / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = System.nanoTime();
  }

  boolean tryTake(long nowNanos) {
    return tryTake(nowNanos, 1);
  }

  /** Takes {@code count} tokens, or none when fewer are saved up. */
  boolean tryTake(long nowNanos, int count) {
    tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * tokensPerNano);
    lastNanos = nowNanos;
    if (tokens < count) {
      return false;
    }
    tokens -= count;
    return true;
  }
}
