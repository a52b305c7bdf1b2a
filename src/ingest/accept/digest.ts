// Recognising a repeated delivery. Alertmanager HA pairs each send every notification, and senders
// retry after timeouts, so the same content can arrive twice. Its digest covers what makes two
// notifications the same: the group, the status, and each alert's (fingerprint, status, startsAt,
// endsAt). startsAt is in it so that an alert that resolved and fired again (a new startsAt) is
// news, not a repeat, even with the same labels.
import { createHash } from 'node:crypto';
import type { Alert, AlertFormat } from '../../alerts/alert.js';

/**
 * How long a digest is remembered: a repeat within it is a duplicate. Issue 5 makes it
 * configurable (the repeat interval); 12 h is Alertmanager's own default `repeat_interval` × 3,
 * longer than any sender's retries.
 */
export const REPEAT_WINDOW_MS = 12 * 60 * 60 * 1000;

const time = (date: Date | null) => (date === null ? null : date.toISOString());

/** The digest of one payload's alerts (non-empty; all of one payload share a group key). */
export function payloadDigest(installationId: string, format: AlertFormat, alerts: readonly Alert[]): string {
  // Alertmanager's rule: a group is firing while any of its alerts is.
  const status = alerts.some((alert) => alert.status === 'firing') ? 'firing' : 'resolved';
  const members = alerts.map((alert) => JSON.stringify([alert.fingerprint, alert.status, time(alert.startsAt), time(alert.endsAt)])).sort();
  // The installation is part of the text so that digests of different workspaces never collide.
  const text = JSON.stringify([installationId, format, alerts[0]?.groupKey ?? '', status, members]);
  return createHash('sha256').update(text).digest('hex');
}
