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
    tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * tokensPerNano);
    lastNanos = nowNanos;
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }
}
