// How severity and status look: the colour bar beside the message and the emoji in front of it.
import { SEVERITIES, type Alert, type Severity } from '../alerts/alert.js';

export interface Style {
  /** Attachment colour bar. */
  color: string;
  /** In front of the header and of each alert in a list. */
  emoji: string;
  /** As a word, e.g. in the context line. */
  label: string;
}

/** Slack's own palette, so the bar matches the client's look in light and dark themes. */
const SEVERITY_STYLES: Record<Severity, Style> = {
  critical: { color: '#E01E5A', emoji: '🔴', label: 'Critical' },
  error: { color: '#F2711C', emoji: '🟠', label: 'Error' },
  warning: { color: '#ECB22E', emoji: '🟡', label: 'Warning' },
  info: { color: '#36C5F0', emoji: '🔵', label: 'Info' },
};
const RESOLVED_STYLE: Style = { color: '#2EB67D', emoji: '✅', label: 'Resolved' };

/** Resolved wins over severity: a resolved message turns green whatever it was. */
export function styleOf(severity: Severity, status: 'firing' | 'resolved'): Style {
  return status === 'resolved' ? RESOLVED_STYLE : SEVERITY_STYLES[severity];
}

export function severityLabel(severity: Severity): string {
  return SEVERITY_STYLES[severity].label;
}

/** Higher is more severe; follows the order of SEVERITIES in the Alert model. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * The severity a group is shown with: its most severe firing alert, or, once all are resolved,
 * its most severe alert (so "resolved critical" still reads as critical in the text).
 */
export function groupSeverity(alerts: readonly Alert[]): Severity {
  const firing = alerts.filter((alert) => alert.status === 'firing');
  const considered = firing.length > 0 ? firing : alerts;
  return considered.reduce<Severity>(
    (worst, alert) => (severityRank(alert.severity) > severityRank(worst) ? alert.severity : worst),
    'info',
  );
}
