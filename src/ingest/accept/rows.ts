// A normalized Alert → the IncomingAlert row delivery reads back. Labels, annotations, links and
// the sender's Slack blocks are stored as JSON text, which both databases hold the same way.
import type { Alert } from '../../alerts/alert.js';
import type { Prisma } from '../../db/database.js';

export interface RowContext {
  installationId: string;
  tokenId: string;
  externalUrl: string | null;
  receivedAt: Date;
}

export function incomingAlertRow(alert: Alert, context: RowContext): Prisma.IncomingAlertCreateManyInput {
  return {
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
