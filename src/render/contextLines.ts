// The small grey lines under an alert: where the group stands, and who did what about it.
import type { ContextBlock } from '@slack/web-api';
import { countByStatus } from './alertOrder.js';
import { contextBlock } from './blocks.js';
import { groupSeverity, severityLabel } from './severityStyle.js';
import { isValidDate, slackDate } from './slackDate.js';
import { mentionUser } from './text.js';
import type { AlertGroupView } from './types.js';

/** "*Firing* · Critical · 3 firing, 1 resolved · Started <date>" */
export function statusContext(group: AlertGroupView): ContextBlock {
  const status = group.status === 'resolved' ? '*Resolved*' : `*Firing* · ${severityLabel(groupSeverity(group.alerts))}`;
  const parts = [status, countsText(group)];
  const started = earliest(group.alerts.map((alert) => alert.startsAt));
  if (started) parts.push(`Started ${slackDate(started)}`);
  const ended = group.status === 'resolved' ? latest(group.alerts.map((alert) => alert.endsAt)) : null;
  if (ended) parts.push(`Resolved ${slackDate(ended)}`);
  return contextBlock([parts.join(' · ')]);
}

/** Acknowledged / silenced / resolved-by lines, one per context element; null when nobody did anything yet. */
export function peopleContext(group: AlertGroupView): ContextBlock | null {
  const lines: string[] = [];
  if (group.acknowledged) {
    const at = isValidDate(group.acknowledged.at) ? ` ${slackDate(group.acknowledged.at)}` : '';
    lines.push(`👀 Acknowledged by ${mentionUser(group.acknowledged.userId)}${at}`);
  }
  if (group.silenced && isValidDate(group.silenced.until)) {
    lines.push(`🔕 Silenced until ${slackDate(group.silenced.until)} by ${mentionUser(group.silenced.by)}`);
  }
  if (group.manuallyResolvedBy) lines.push(`🙋 Resolved by ${mentionUser(group.manuallyResolvedBy)}`);
  return lines.length > 0 ? contextBlock(lines) : null;
}

/** "1 alert firing", "3 firing, 1 resolved", "+ 12 left out by the sender". */
function countsText(group: AlertGroupView): string {
  const { firing, resolved } = countByStatus(group.alerts);
  const counts =
    resolved === 0 ? `${firing} firing` : firing === 0 ? `${resolved} resolved` : `${firing} firing, ${resolved} resolved`;
  const leftOut = group.truncatedAlerts && group.truncatedAlerts > 0 ? `, ${group.truncatedAlerts} more left out by the sender` : '';
  return counts + leftOut;
}

function earliest(dates: (Date | null)[]): Date | null {
  return dates.filter(isValidDate).reduce<Date | null>((min, date) => (min && min <= date ? min : date), null);
}

function latest(dates: (Date | null)[]): Date | null {
  return dates.filter(isValidDate).reduce<Date | null>((max, date) => (max && max >= date ? max : date), null);
}
