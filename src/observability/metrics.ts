// Prometheus metrics, served at GET /metrics. Each Herald has its own registry (not prom-client's
// global one), so several Heralds in one process, as in tests, keep separate counts.
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

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

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'herald_' });
  }

  /** The text exposition format, and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
