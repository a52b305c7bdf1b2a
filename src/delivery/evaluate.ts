// Groups whose time has come (group_wait, group_interval, repeat_interval) are looked at, and what
// the channel must be told is queued in the outbox, in the same transaction that records it as told.
//
//   first notification      → post the group's message
//   new or newly resolved    → update the message in place
//   nothing new              → nothing, until the repeat interval: then a "still firing" reply
//   everything resolved      → update (green) + a thread reply; the group closes, so the same
//                              alerts firing again open a new group with a new message
import type { AlertGroup, Channel, GroupAlert, Installation } from '../db/database.js';
import { renderRepeatReply, renderResolvedReply } from '../render/index.js';
import { needsNotification, type CurrentAlerts, type LastNotification } from './grouping.js';
import { inChunks } from './chunks.js';
import { effectiveGrouping } from './groupingSettings.js';
import { loadGroupView } from './groupView.js';
import { enqueue, queueMessageSync } from './outbox.js';
import type { Tx } from './transaction.js';

type DueGroup = AlertGroup & { channel: Channel; installation: Installation };
type AlertState = Pick<GroupAlert, 'fingerprint' | 'status' | 'receivedAt'>;

/** Evaluates up to `limit` due groups; returns how many it looked at. */
export async function evaluateDueGroups(tx: Tx, now: Date, limit: number): Promise<number> {
  const groups = await tx.alertGroup.findMany({
    where: { openKey: { not: null }, nextEvaluationAt: { lte: now } },
    include: { channel: true, installation: true },
    orderBy: { nextEvaluationAt: 'asc' },
    take: limit,
  });
  // One query for every due group's alert states (not their JSON: a storm's group holds
  // thousands, and only a reply needs them).
  const states = await inChunks(groups.map((group) => group.id), (ids) =>
    tx.groupAlert.findMany({ where: { groupId: { in: ids } }, select: { groupId: true, fingerprint: true, status: true, receivedAt: true } }),
  );
  const statesOf = new Map<string, AlertState[]>();
  for (const state of states) {
    const list = statesOf.get(state.groupId);
    if (list) list.push(state);
    else statesOf.set(state.groupId, [state]);
  }
  for (const group of groups) await evaluateGroup(tx, group, statesOf.get(group.id) ?? [], now);
  return groups.length;
}

async function evaluateGroup(tx: Tx, group: DueGroup, alerts: AlertState[], now: Date): Promise<void> {
  if (!group.installation.active) {
    // Uninstalled: nobody to tell. The group rests until an alert for it arrives after a reinstall.
    await tx.alertGroup.update({ where: { id: group.id }, data: { lastEvaluatedAt: now, nextEvaluationAt: null } });
    return;
  }
  const { timing } = effectiveGrouping(group.installation, group.channel);
  // As in Alertmanager, a reminder waits at least a group_interval, however short repeat_interval is.
  const repeatMs = Math.max(timing.repeatIntervalMs, timing.groupIntervalMs);
  const current: CurrentAlerts = {
    firing: new Set(alerts.filter((a) => a.status === 'firing').map((a) => a.fingerprint)),
    resolved: new Set(alerts.filter((a) => a.status !== 'firing').map((a) => a.fingerprint)),
  };
  const last: LastNotification | null =
    group.notifiedAt === null
      ? null
      : { firing: new Set(JSON.parse(group.notifiedFiring) as string[]), resolved: new Set(JSON.parse(group.notifiedResolved) as string[]), at: group.notifiedAt.getTime() };
  const told = { notifiedFiring: JSON.stringify([...current.firing]), notifiedResolved: JSON.stringify([...current.resolved]), notifiedAt: now };

  if (current.firing.size === 0) {
    await closeResolved(tx, group, alerts, last !== null && last.firing.size > 0, told, now);
    return;
  }
  const due = needsNotification(last, current, now.getTime(), { ...timing, repeatIntervalMs: repeatMs });
  const news = [...current.firing].filter((fingerprint) => !last?.firing.has(fingerprint));
  const newlyResolved = [...current.resolved].filter((fingerprint) => !last?.resolved.has(fingerprint));
  const isReminder = last !== null && news.length === 0 && newlyResolved.length === 0;
  // A silenced group tells nothing; a muted channel gets no reminders (its resolves still show).
  const heldUntil = [group.silencedUntil, isReminder ? group.channel.mutedUntil : null].filter((until): until is Date => until !== null && until > now);
  if (!due || heldUntil.length > 0) {
    // Look again when the repeat interval (or the silence, or the mute) ends, or earlier if new alerts arrive.
    const repeatAt = new Date((group.notifiedAt ?? now).getTime() + repeatMs);
    const next = due ? new Date(Math.max(...heldUntil.map((until) => until.getTime()))) : repeatAt;
    await tx.alertGroup.update({ where: { id: group.id }, data: { lastEvaluatedAt: now, nextEvaluationAt: next } });
    return;
  }

  const updated = await updateIfFiring(tx, group.id, {
      ...told,
      lastEvaluatedAt: now,
      nextEvaluationAt: new Date(now.getTime() + repeatMs),
      ...(isReminder ? {} : { version: { increment: 1 } }),
  });
  if (!updated) return;
  if (isReminder) {
    const reply = renderRepeatReply(await loadGroupView(tx, group), group.firstAlertAt, now);
    await enqueue(tx, [{ installationId: group.installationId, channelRowId: group.channelRowId, kind: 'reply', groupId: group.id, message: { ...reply, broadcast: true } }], now);
    return;
  }
  const oldestNews = alerts.filter((a) => news.includes(a.fingerprint)).reduce<Date | null>((oldest, a) => (oldest === null || a.receivedAt < oldest ? a.receivedAt : oldest), null);
  await queueMessageSync(tx, updated, now, oldestNews);
}

/** Every alert resolved: the message turns green with a thread reply (if the channel saw it fire), and the group closes. */
async function closeResolved(tx: Tx, group: DueGroup, alerts: AlertState[], wasTold: boolean, told: object, now: Date): Promise<void> {
  const updated = await updateIfFiring(tx, group.id, {
    ...told,
    status: 'resolved',
    resolvedAt: now,
    openKey: null,
    lastEvaluatedAt: now,
    nextEvaluationAt: null,
    ...(wasTold ? { version: { increment: 1 } } : {}),
  });
  if (!updated || !wasTold) return;
  await queueMessageSync(tx, updated, now);
  const reply = renderResolvedReply(await loadGroupView(tx, updated), group.firstAlertAt, now);
  await enqueue(tx, [{ installationId: group.installationId, channelRowId: group.channelRowId, kind: 'reply', groupId: group.id, message: reply }], now);
}

/**
 * Changes the group only while it still fires: someone may have pressed Resolve since it was read
 * (the press holds the row until it commits), and then there is nothing left to tell.
 */
async function updateIfFiring(tx: Tx, id: string, data: Parameters<Tx['alertGroup']['updateMany']>[0]['data']): Promise<AlertGroup | null> {
  const { count } = await tx.alertGroup.updateMany({ where: { id, status: 'firing' }, data });
  return count === 0 ? null : tx.alertGroup.findUniqueOrThrow({ where: { id } });
}
