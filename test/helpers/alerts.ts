// Alertmanager webhook payloads (version 4) built in tests, and the grouping settings that make
// delivery tests fast: no group_wait, a short group_interval.
import type { Db } from '../../src/db/database.js';

export interface TestAlert {
  alertname: string;
  /** Makes the fingerprint; alerts with the same labels are the same alert. */
  instance?: string;
  severity?: string;
  status?: 'firing' | 'resolved';
  labels?: Record<string, string>;
  summary?: string;
}

let payloadCount = 0;

export function alertmanagerPayload(alerts: TestAlert[], p: { externalURL?: string; groupKey?: string } = {}): string {
  const status = alerts.every((a) => a.status === 'resolved') ? 'resolved' : 'firing';
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  return JSON.stringify({
    version: '4',
    groupKey: p.groupKey ?? `{}:{alertname="${alerts[0]?.alertname ?? 'x'}"}`,
    truncatedAlerts: 0,
    status,
    receiver: 'herald',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: p.externalURL ?? 'http://alertmanager.test:9093',
    alerts: alerts.map((a) => {
      const labels = { alertname: a.alertname, instance: a.instance ?? 'host-1', severity: a.severity ?? 'critical', ...a.labels };
      return {
        status: a.status ?? 'firing',
        labels,
        annotations: { summary: a.summary ?? `${a.alertname} on ${labels.instance}` },
        startsAt,
        // Each payload differs, so Herald's HA-duplicate detection never takes a test's resend for a repeat.
        endsAt: a.status === 'resolved' ? new Date(Date.now() - 1000 + (payloadCount++ % 1000)).toISOString() : '0001-01-01T00:00:00Z',
        generatorURL: `http://prometheus.test/graph?g0.expr=${encodeURIComponent(a.alertname)}&n=${payloadCount++}`,
        fingerprint: `${a.alertname}-${labels.instance}`.replace(/[^a-zA-Z0-9]/g, '').slice(0, 16).padEnd(16, '0'),
      };
    }),
  });
}

/** Workspace grouping that tests can wait for: no group_wait, group_interval `intervalSeconds`. */
export async function fastGrouping(db: Db, installationId = 'T0ACME', intervalSeconds = 1): Promise<void> {
  await db.installation.update({ where: { id: installationId }, data: { groupWaitSeconds: 0, groupIntervalSeconds: intervalSeconds } });
}
