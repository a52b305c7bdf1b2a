// Which alerts come first when a group is listed, and how many of each status there are.
import type { Alert } from '../alerts/alert.js';
import { severityRank } from './severityStyle.js';

/** Most severe first, then firing before resolved, then newest first (alerts without a start last). */
export function displayOrder(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      statusRank(a) - statusRank(b) ||
      startTime(b) - startTime(a),
  );
}

export function countByStatus(alerts: readonly Alert[]): { firing: number; resolved: number } {
  const firing = alerts.filter((alert) => alert.status === 'firing').length;
  return { firing, resolved: alerts.length - firing };
}

function statusRank(alert: Alert): number {
  return alert.status === 'firing' ? 0 : 1;
}

function startTime(alert: Alert): number {
  const time = alert.startsAt?.getTime();
  return time === undefined || Number.isNaN(time) ? Number.MIN_SAFE_INTEGER : time;
}
