// A token bucket per key: `perSecond` requests a second on average and `burst` at once. Herald keys
// it by ingest token (Alertmanager flushes many groups together after a restart, hence the burst; a
// sender over its rate gets 429 with Retry-After, which Alertmanager, Grafana and most webhook
// senders honour). The Slack emulator keys it by channel, as Slack paces chat.postMessage.

export interface RateLimitSettings {
  /** Requests per second per token; 0 turns the limit off. */
  perSecond: number;
  /** How many requests may arrive at once. */
  burst: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const ALLOWED: RateDecision = { allowed: true };

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request from the key's bucket. Keys are token ids, so the map holds one entry per real token. */
  take(key: string): RateDecision {
    const { perSecond, burst } = this.settings;
    if (perSecond <= 0) return ALLOWED;
    const now = this.now();
    const bucket = this.#buckets.get(key);
    if (!bucket) {
      this.#buckets.set(key, { tokens: burst - 1, updatedAt: now });
      return ALLOWED;
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * perSecond);
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return ALLOWED;
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
  }
}
