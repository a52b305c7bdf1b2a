// The top-level `text` of a message: what notifications, screen readers and old clients show.
import { countByStatus } from './alertOrder.js';
import { groupTitle } from './groupTitle.js';
import { groupSeverity } from './severityStyle.js';
import { mrkdwnText } from './text.js';
import type { AlertGroupView } from './types.js';

/** Short enough for a phone notification, far below Slack's 4,000-character recommendation. */
const MAX_TITLE_IN_FALLBACK = 200;

/**
 * Alertmanager's familiar form: "[FIRING:3] HighLatency (critical)", "[RESOLVED] HighLatency".
 * `text` is parsed as mrkdwn too, so alert data is escaped here as everywhere.
 */
export function fallbackText(group: AlertGroupView): string {
  const title = mrkdwnText(groupTitle(group), MAX_TITLE_IN_FALLBACK);
  if (group.status === 'resolved') return `[RESOLVED] ${title}`;
  const firing = countByStatus(group.alerts).firing;
  return `[FIRING:${firing}] ${title} (${groupSeverity(group.alerts)})`;
}
