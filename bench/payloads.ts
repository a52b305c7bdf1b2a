// The alerts the bench sends, in the two shapes it sends them: Alertmanager's webhook payload
// (version 4) to Herald, and Alertmanager's API v2 postable alerts to Alertmanager. Every alert
// has labels of its own (a unique instance), so every request carries new fingerprints and
// neither side takes it for a repeat. One request holds one group, as a webhook notification does.
import { randomBytes } from 'node:crypto';

export interface BenchAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  /** Set for resolved alerts; firing ones have none. */
  endsAt?: string;
  generatorURL: string;
  fingerprint: string;
}

/** Differs per bench run, so alerts of two runs against one database never collide. */
const RUN = randomBytes(3).toString('hex');
let sequence = 0;

/** 16 hex digits, as Alertmanager's fingerprints: the run, then a counter. */
function nextFingerprint(): string {
  return `${RUN}${(sequence++).toString(16).padStart(10, '0')}`;
}

/** `count` new firing alerts that share `labels` (alertname at least); each gets a unique instance. */
export function newAlerts(count: number, labels: Record<string, string>, summary?: string): BenchAlert[] {
  const startsAt = new Date().toISOString();
  return Array.from({ length: count }, () => {
    const fingerprint = nextFingerprint();
    const instance = `node-${fingerprint}:9100`;
    return {
      labels: { ...labels, instance, job: 'node', severity: labels.severity ?? 'warning' },
      annotations: {
        summary: summary ?? `${labels.alertname} on ${instance}`,
        description: `${labels.alertname} has been above its threshold for 5 minutes on ${instance}.`,
      },
      startsAt,
      generatorURL: `http://prometheus.bench:9090/graph?g0.expr=up%7Binstance%3D%22${instance}%22%7D+%3D%3D+0&g0.tab=1`,
      fingerprint,
    };
  });
}

/** The same alerts, resolved now. */
export function resolved(alerts: readonly BenchAlert[]): BenchAlert[] {
  const endsAt = new Date().toISOString();
  return alerts.map((alert) => ({ ...alert, endsAt }));
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** What Alertmanager's webhook_configs POSTs for one group (notify/webhook, version 4). */
export function webhookPayload(alerts: readonly BenchAlert[], groupBy: readonly string[] = ['alertname']): string {
  const first = alerts[0]?.labels ?? {};
  const groupLabels = Object.fromEntries(groupBy.filter((name) => first[name] !== undefined).map((name) => [name, first[name] as string]));
  const status = alerts.some((alert) => alert.endsAt === undefined) ? 'firing' : 'resolved';
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{${Object.entries(groupLabels)
      .map(([name, value]) => `${name}="${value}"`)
      .join(', ')}}`,
    truncatedAlerts: 0,
    status,
    receiver: 'herald',
    groupLabels,
    commonLabels: groupLabels,
    commonAnnotations: {},
    externalURL: 'http://alertmanager.bench:9093',
    alerts: alerts.map((alert) => ({
      status: alert.endsAt === undefined ? 'firing' : 'resolved',
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: alert.startsAt,
      endsAt: alert.endsAt ?? ZERO_TIME,
      generatorURL: alert.generatorURL,
      fingerprint: alert.fingerprint,
    })),
  });
}

/** POST /api/v2/alerts: postable alerts, as Prometheus sends them (firing ones without endsAt). */
export function alertmanagerApiPayload(alerts: readonly BenchAlert[]): string {
  return JSON.stringify(
    alerts.map((alert) => ({
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: alert.startsAt,
      ...(alert.endsAt === undefined ? {} : { endsAt: alert.endsAt }),
      generatorURL: alert.generatorURL,
    })),
  );
}

/**
 * The ingest load's grouping: every 10 consecutive requests share an alertname (one group of 10 or
 * 1,000 alerts), then a new alertname starts. Groups stay the size of real ones however long the
 * run: with a fixed set of alertnames and alerts that never resolve, the groups would grow to
 * hundreds of thousands of alerts and the figure would measure that, not ingest.
 */
export const LOAD_REQUESTS_PER_GROUP = 10;
let request = 0;

/** The next request's alerts: `perRequest` new alerts of one alertname (one group). */
export function loadAlerts(perRequest: number): BenchAlert[] {
  const alertname = `BenchAlert${String(Math.floor(request++ / LOAD_REQUESTS_PER_GROUP)).padStart(6, '0')}`;
  return newAlerts(perRequest, { alertname });
}
