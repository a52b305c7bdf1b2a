// Prometheus metrics, served at GET /metrics. Each Herald has its own registry (not prom-client's
// global one), so several Heralds in one process, as in tests, keep separate counts.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the outbox holds, read from the database when /metrics is scraped. */
export interface OutboxStats {
  pending: number;
  oldestPendingAgeSeconds: number;
  dead: number;
}

export class Metrics {
  readonly registry = new Registry();

  /** Alerts accepted, by ingest format and workspace (installation ID). */
  readonly alertsReceived = new Counter({
    name: 'herald_alerts_received_total',
    help: 'Alerts accepted from monitors, by ingest format and workspace.',
    labelNames: ['format', 'workspace'] as const,
    registers: [this.registry],
  });

  /** Requests to the ingest endpoints, by HTTP status. */
  readonly ingestRequests = new Counter({
    name: 'herald_ingest_requests_total',
    help: 'Requests to POST /alerts/…, by HTTP status answered.',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  /** Slack calls that succeeded, by outbox kind (post, update, reply, test). */
  readonly notificationsSent = new Counter({
    name: 'herald_notifications_sent_total',
    help: 'Slack messages posted, updated or replied, by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  /** Slack calls that failed, by reason (Slack's error code, ratelimited, http_503, request_failed…). */
  readonly notificationsFailed = new Counter({
    name: 'herald_notifications_failed_total',
    help: 'Slack calls that failed, by reason; most are retried.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly slackRateLimited = new Counter({
    name: 'herald_slack_rate_limited_total',
    help: 'Slack calls answered 429; each waits the Retry-After Slack gave.',
    registers: [this.registry],
  });

  readonly deliveryRetries = new Counter({
    name: 'herald_delivery_retries_total',
    help: 'Slack calls scheduled again after a failure (429, 5xx, timeouts, a message too large).',
    registers: [this.registry],
  });

  readonly deadLetters = new Counter({
    name: 'herald_dead_letters_total',
    help: 'Slack calls given up, by reason (the deadline passed, Slack refused the message, uninstalled).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly deliveryLatency = new Histogram({
    name: 'herald_delivery_latency_seconds',
    help: 'From accepting an alert to Slack showing it (group_wait included).',
    buckets: [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'herald_' });
  }

  /** Outbox gauges, read through `read` at each scrape (every process sees the shared database). */
  watchOutbox(read: () => Promise<OutboxStats>): void {
    let last: Promise<OutboxStats> | null = null;
    // The three gauges are collected one after the other in a scrape: one query serves them all.
    const stats = () => (last ??= read().finally(() => setTimeout(() => (last = null), 100).unref()));
    const gauge = (name: string, help: string, pick: (s: OutboxStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set(pick(await stats()));
        },
      });
    gauge('herald_outbox_depth', 'Slack calls waiting in the outbox.', (s) => s.pending);
    gauge('herald_outbox_oldest_age_seconds', 'Age of the oldest Slack call waiting in the outbox.', (s) => s.oldestPendingAgeSeconds);
    gauge('herald_outbox_dead_letters', 'Slack calls given up and kept in the outbox with their reason.', (s) => s.dead);
  }

  /** The text exposition format, and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
