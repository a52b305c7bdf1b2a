// A parsed payload → what the group commit stores: its rows and its digest, computed in the
// request's own turn so that the shared transaction does nothing but database work.
import type { AlertFormat, ParsedPayload } from '../../alerts/alert.js';
import type { Acceptance } from './batchPlan.js';
import { payloadDigest } from './digest.js';
import { incomingAlertRow } from './rows.js';

export function prepareAcceptance(p: {
  installationId: string;
  tokenId: string;
  format: AlertFormat;
  payload: ParsedPayload;
  receivedAt: Date;
}): Acceptance {
  const context = { installationId: p.installationId, tokenId: p.tokenId, externalUrl: p.payload.externalURL, receivedAt: p.receivedAt };
  return {
    installationId: p.installationId,
    digest: payloadDigest(p.installationId, p.format, p.payload.alerts),
    rows: p.payload.alerts.map((alert) => incomingAlertRow(alert, context)),
  };
}
