// A normalized Alert → the IncomingAlert row delivery reads back. Labels, annotations, links and
// the sender's Slack blocks are stored as JSON text, which both databases hold the same way.
import { randomUUID } from 'node:crypto';
import type { Alert } from '../../alerts/alert.js';

export interface RowContext {
  installationId: string;
  tokenId: string;
  externalUrl: string | null;
  receivedAt: Date;
}

/** The IncomingAlert columns ingest writes (processedAt starts null). */
export interface IncomingAlertRow {
  id: string;
  installationId: string;
  source: string;
  fingerprint: string;
  groupKey: string;
  status: string;
  severity: string;
  title: string;
  text: string;
  labels: string;
  annotations: string;
  links: string;
  slack: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  externalUrl: string | null;
  tokenId: string;
  receivedAt: Date;
}

export function incomingAlertRow(alert: Alert, context: RowContext): IncomingAlertRow {
  return {
    id: randomUUID(),
    installationId: context.installationId,
    source: alert.source,
    fingerprint: alert.fingerprint,
    groupKey: alert.groupKey,
    status: alert.status,
    severity: alert.severity,
    title: alert.title,
    text: alert.text,
    labels: JSON.stringify(alert.labels),
    annotations: JSON.stringify(alert.annotations),
    links: JSON.stringify(alert.links),
    slack: alert.slack === undefined ? null : JSON.stringify(alert.slack),
    startsAt: alert.startsAt,
    endsAt: alert.endsAt,
    externalUrl: context.externalUrl,
    tokenId: context.tokenId,
    receivedAt: context.receivedAt,
  };
}

/** Column order of the INSERTs the stores write. */
export const INCOMING_ALERT_COLUMNS = [
  'id', 'installationId', 'source', 'fingerprint', 'groupKey', 'status', 'severity', 'title', 'text',
  'labels', 'annotations', 'links', 'slack', 'startsAt', 'endsAt', 'externalUrl', 'tokenId', 'receivedAt',
] as const satisfies readonly (keyof IncomingAlertRow)[];
