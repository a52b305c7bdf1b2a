// Alerts as the database holds them (JSON text columns) and back. IncomingAlert rows are what
// ingest committed; GroupAlert rows keep each alert's latest state inside a group.
import type { Alert, AlertFormat, AlertStatus, Severity } from '../alerts/alert.js';
import type { IncomingAlert } from '../db/database.js';

export function alertFromIncoming(row: IncomingAlert): Alert {
  return {
    source: row.source as AlertFormat,
    status: row.status as AlertStatus,
    severity: row.severity as Severity,
    title: row.title,
    text: row.text,
    labels: JSON.parse(row.labels) as Alert['labels'],
    annotations: JSON.parse(row.annotations) as Alert['annotations'],
    links: JSON.parse(row.links) as Alert['links'],
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    fingerprint: row.fingerprint,
    groupKey: row.groupKey,
    ...(row.slack === null ? {} : { slack: JSON.parse(row.slack) as NonNullable<Alert['slack']> }),
  };
}

/** The JSON kept in GroupAlert.alert: the whole Alert, dates as ISO strings. */
export function serializeAlert(alert: Alert): string {
  return JSON.stringify(alert);
}

export function deserializeAlert(json: string): Alert {
  const parsed = JSON.parse(json) as Alert & { startsAt: string | null; endsAt: string | null };
  return { ...parsed, startsAt: parsed.startsAt === null ? null : new Date(parsed.startsAt), endsAt: parsed.endsAt === null ? null : new Date(parsed.endsAt) };
}
