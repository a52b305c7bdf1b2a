// A stored alert group as the renderer sees it.
import type { AlertGroup, Db } from '../db/database.js';
import type { AlertGroupView } from '../render/index.js';
import { deserializeAlert } from './storedAlert.js';
import type { Tx } from './transaction.js';

export async function loadGroupView(db: Db | Tx, group: AlertGroup): Promise<AlertGroupView> {
  const rows = await db.groupAlert.findMany({ where: { groupId: group.id }, select: { alert: true } });
  return groupView(group, rows.map((row) => row.alert));
}

export function groupView(group: AlertGroup, alertJson: readonly string[]): AlertGroupView {
  return {
    groupId: group.id,
    groupLabels: JSON.parse(group.groupLabels) as Record<string, string>,
    alerts: alertJson.map(deserializeAlert),
    status: group.status === 'resolved' ? 'resolved' : 'firing',
    ...(group.acknowledgedBy && group.acknowledgedAt ? { acknowledged: { userId: group.acknowledgedBy, at: group.acknowledgedAt } } : {}),
    ...(group.silencedBy && group.silencedUntil ? { silenced: { by: group.silencedBy, until: group.silencedUntil } } : {}),
    ...(group.resolvedBy ? { manuallyResolvedBy: group.resolvedBy } : {}),
  };
}
