// Which group an alert joins in a channel: the values of the channel's group_by labels, as
// Alertmanager groups. Alerts that carry none of those labels (a W&B or Slack-format payload with
// no `alertname`) are grouped as their sender grouped them, so unrelated senders never merge.
import { createHash } from 'node:crypto';
import type { Alert } from '../alerts/alert.js';

export interface GroupIdentity {
  /** The labels shown as the group's identity and used for its silences. */
  labels: Record<string, string>;
  /** A stable hash of the above (or of the sender's group key); one open group per key and channel. */
  key: string;
}

export function groupIdentity(alert: Pick<Alert, 'labels' | 'groupKey'>, groupBy: readonly string[] | 'all'): GroupIdentity {
  const names = groupBy === 'all' ? Object.keys(alert.labels) : groupBy.filter((name) => Object.hasOwn(alert.labels, name));
  const labels: Record<string, string> = {};
  for (const name of [...names].sort()) labels[name] = alert.labels[name] as string;
  const basis = names.length > 0 ? JSON.stringify(['labels', labels]) : JSON.stringify(['sender', alert.groupKey]);
  return { labels, key: createHash('sha256').update(basis).digest('hex') };
}
