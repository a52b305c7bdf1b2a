// A token bucket per key, as Slack limits chat.postMessage to about one message per second per channel
// while allowing short bursts.

export interface RateLimitConfig {
  perSecond: number;
  burst: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly config: RateLimitConfig,
    private readonly now: () => number,
  ) {}

  /** Takes one token for `key`, or says how long (whole seconds, at least 1) until one is available. */
  take(key: string): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.config.burst, updatedAt: now };
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(this.config.burst, bucket.tokens + elapsedSeconds * this.config.perSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    // Retry-After carries whole seconds; rounding up means a client that waits it out is let through.
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.config.perSecond));
    return { allowed: false, retryAfterSeconds };
  }
}
