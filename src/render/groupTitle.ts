// The one-line name of an alert group, used in the header, the fallback text and the thread reply.
import type { AlertGroupView } from './types.js';

/**
 * The alerts' common title when they share one (the usual case: a group is keyed by alertname);
 * otherwise the group labels' values ("HighLatency · api"); otherwise the first alert's title.
 */
export function groupTitle(group: Pick<AlertGroupView, 'alerts' | 'groupLabels'>): string {
  const titles = new Set(group.alerts.map((alert) => alert.title.trim()).filter((title) => title !== ''));
  if (titles.size === 1) return [...titles][0] as string;
  const labelValues = Object.values(group.groupLabels).filter((value) => value.trim() !== '');
  if (labelValues.length > 0) return labelValues.join(' · ');
  return [...titles][0] ?? 'Alert';
}
