// What the buttons on an alert message do to its group (issue 5, item 5): acknowledge, silence,
// resolve. Each is one transaction that changes the group, bumps its version, queues the message
// update (and, for a resolve, the thread reply), and writes the audit entry.
import { formatMatcher } from '../alerts/matchers.js';
import type { AlertGroup, Db } from '../db/database.js';
import { renderResolvedReply } from '../render/index.js';
import type { Actor } from '../setup/actor.js';
import { recordAudit } from '../setup/audit.js';
import { shortId } from '../setup/silences.js';
import { groupView } from './groupView.js';
import { enqueue, queueMessageSyncs } from './outbox.js';
import { DELIVERY_TRANSACTION, type Tx } from './transaction.js';

export type GroupActionResult =
  | { ok: true; group: AlertGroup }
  /** No such group in the presser's workspace (a forged or foreign value, the channel was removed, or retention deleted it). */
  | { ok: false; reason: 'not_found' }
  /** The group resolved already: nothing to acknowledge, silence or resolve. */
  | { ok: false; reason: 'resolved' };

/** What an action changes on the group, and what else it writes once the change is made. */
interface Change {
  data: Parameters<Tx['alertGroup']['update']>[0]['data'];
  audit: string;
  after?: (tx: Tx, group: AlertGroup) => Promise<void>;
}

async function changeGroup(db: Db, actor: Actor, groupId: string, action: 'alert.acknowledge' | 'alert.silence' | 'alert.resolve', now: Date, change: (group: AlertGroup) => Change): Promise<GroupActionResult> {
  return db.$transaction(async (tx) => {
    const group = await tx.alertGroup.findFirst({ where: { id: groupId, installationId: actor.installationId } });
    if (!group) return { ok: false, reason: 'not_found' } as const;
    if (group.status === 'resolved') return { ok: false, reason: 'resolved' } as const;
    const { data, audit, after } = change(group);
    // Only while it still fires: of two presses at once (a double click, two people, the planner
    // resolving it), the second waits for the first's row lock, then finds it resolved.
    const { count } = await tx.alertGroup.updateMany({ where: { id: group.id, status: 'firing' }, data: { ...data, version: { increment: 1 } } });
    if (count === 0) return { ok: false, reason: 'resolved' } as const;
    const updated = await tx.alertGroup.findUniqueOrThrow({ where: { id: group.id } });
    await queueMessageSyncs(tx, [{ group: updated }], now);
    await after?.(tx, updated);
    await recordAudit(tx, actor, action, `${audit} (group ${shortId(group.id)})`);
    return { ok: true, group: updated } as const;
  }, DELIVERY_TRANSACTION);
}

export function acknowledgeGroup(db: Db, actor: Actor, groupId: string, now: Date): Promise<GroupActionResult> {
  return changeGroup(db, actor, groupId, 'alert.acknowledge', now, (group) => ({
    data: { acknowledgedBy: actor.userId, acknowledgedAt: now },
    audit: `acknowledged ${describe(group)}`,
  }));
}

/**
 * Silences the group for `durationMs`: the message says so, and a Herald silence on the group's
 * labels keeps its alerts from notifying any channel until it ends. A group without labels (a
 * sender that sends none) is silenced on its own message only.
 */
export function silenceGroup(db: Db, actor: Actor, groupId: string, durationMs: number, now: Date): Promise<GroupActionResult> {
  const until = new Date(now.getTime() + durationMs);
  return changeGroup(db, actor, groupId, 'alert.silence', now, (group) => ({
    data: { silencedBy: actor.userId, silencedUntil: until },
    audit: `silenced ${describe(group)} until ${until.toISOString()}`,
    after: async (tx) => {
      const matchers = groupMatchers(group);
      if (matchers.length === 0) return;
      await tx.silence.create({
        data: { installationId: actor.installationId, matchers: matchers.map((m) => formatMatcher({ ...m, operator: '=' })).join(','), comment: 'from the Silence button on an alert message', createdBy: actor.userId, startsAt: now, endsAt: until },
      });
    },
  }));
}

/** Resolves the group by hand: the message turns green, a thread reply says who, the group closes. */
export function resolveGroup(db: Db, actor: Actor, groupId: string, now: Date): Promise<GroupActionResult> {
  return changeGroup(db, actor, groupId, 'alert.resolve', now, (group) => ({
    data: { status: 'resolved', resolvedBy: actor.userId, resolvedAt: now, openKey: null, nextEvaluationAt: null },
    audit: `resolved ${describe(group)}`,
    after: async (tx, updated) => {
      const alerts = await tx.groupAlert.findMany({ where: { groupId: updated.id }, select: { alert: true } });
      const reply = renderResolvedReply(groupView(updated, alerts.map((a) => a.alert)), updated.firstAlertAt, now);
      await enqueue(tx, [{ installationId: updated.installationId, channelRowId: updated.channelRowId, kind: 'reply', groupId: updated.id, message: reply }], now);
    },
  }));
}

/** The group's labels as equality matchers: what a silence of this group matches. */
export function groupMatchers(group: Pick<AlertGroup, 'groupLabels'>): { name: string; value: string }[] {
  const labels = JSON.parse(group.groupLabels) as Record<string, string>;
  return Object.entries(labels).map(([name, value]) => ({ name, value }));
}

function describe(group: AlertGroup): string {
  const labels = groupMatchers(group).map((m) => `${m.name}=${m.value}`).join(',');
  return labels === '' ? 'an alert group' : `{${labels}}`;
}
