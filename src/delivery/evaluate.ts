// Groups whose time has come (group_wait, group_interval, repeat_interval) are looked at, and what
// the channel must be told is queued in the outbox, in the same transaction that records it as told.
//
//   first notification      → post the group's message
//   new or newly resolved    → update the message in place
//   nothing new              → nothing, until the repeat interval: then a "still firing" reply
//   everything resolved      → update (green) + a thread reply; the group closes, so the same
//                              alerts firing again open a new group with a new message
//
// Most evaluations end in "nothing yet" or "post/update the message": those are decided per group
// and written for the whole batch in one statement each (batchSql.ts). Reminders and resolves,
// which render a thread reply from the group's alerts, are written group by group.
import type { AlertGroup, Channel, GroupAlert, Installation } from '../db/database.js';
import type { Provider } from '../db/provider.js';
import { renderRepeatReply, renderResolvedReply } from '../render/index.js';
import { updateRows, type SqlValue } from './batchSql.js';
import { inChunks } from './chunks.js';
import { needsNotification, type CurrentAlerts, type LastNotification } from './grouping.js';
import { effectiveGrouping } from './groupingSettings.js';
import { loadGroupView } from './groupView.js';
import { enqueue, queueMessageSyncs, type SyncRequest } from './outbox.js';
import type { Tx } from './transaction.js';

type DueGroup = AlertGroup & { channel: Channel; installation: Installation };
type AlertState = Pick<GroupAlert, 'fingerprint' | 'status' | 'receivedAt'>;
/** What the channel is told (written with every notification). */
interface Told {
  notifiedFiring: string;
  notifiedResolved: string;
}

/** What evaluating one group decided. */
type Decision =
  /** Nothing to tell now; look again at `next` (null: never, until new alerts arrive). */
  | { kind: 'wait'; next: Date | null }
  /** New or newly resolved alerts: post or update the group's message. */
  | { kind: 'sync'; told: Told; next: Date; oldestNews: Date | null }
  /** Nothing new for a repeat interval: a "still firing" reply. */
  | { kind: 'remind'; told: Told; next: Date }
  /** Every alert resolved: the message turns green (if the channel saw it fire), and the group closes. */
  | { kind: 'close'; told: Told; wasTold: boolean };

/** Evaluates up to `limit` due groups; returns how many it looked at. */
export async function evaluateDueGroups(tx: Tx, provider: Provider, now: Date, limit: number): Promise<number> {
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

  const waits: SqlValue[][] = [];
  const syncs: { group: DueGroup; decision: Extract<Decision, { kind: 'sync' }> }[] = [];
  for (const group of groups) {
    const decision = decide(group, statesOf.get(group.id) ?? [], now);
    if (decision.kind === 'wait') waits.push([group.id, decision.next, now]);
    else if (decision.kind === 'sync') syncs.push({ group, decision });
    else if (decision.kind === 'remind') await remind(tx, group, decision, now);
    else await closeResolved(tx, group, decision, now);
  }
  await updateRows(tx, provider, 'AlertGroup', {
    columns: [
      { name: 'id', type: 'text' },
      { name: 'next', type: 'time' },
      { name: 'now', type: 'time' },
    ],
    rows: waits,
    set: ['"lastEvaluatedAt" = v."now"', '"nextEvaluationAt" = v."next"', '"updatedAt" = v."now"'],
  });
  await syncMessages(tx, provider, syncs, now);
  return groups.length;
}

function decide(group: DueGroup, alerts: AlertState[], now: Date): Decision {
  // Uninstalled: nobody to tell. The group rests until an alert for it arrives after a reinstall.
  if (!group.installation.active) return { kind: 'wait', next: null };
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
  const told = { notifiedFiring: JSON.stringify([...current.firing]), notifiedResolved: JSON.stringify([...current.resolved]) };

  if (current.firing.size === 0) return { kind: 'close', told, wasTold: last !== null && last.firing.size > 0 };
  const due = needsNotification(last, current, now.getTime(), { ...timing, repeatIntervalMs: repeatMs });
  const news = new Set([...current.firing].filter((fingerprint) => !last?.firing.has(fingerprint)));
  const newlyResolved = [...current.resolved].filter((fingerprint) => !last?.resolved.has(fingerprint));
  const isReminder = last !== null && news.size === 0 && newlyResolved.length === 0;
  // A silenced group tells nothing; a muted channel gets no reminders (its resolves still show).
  const heldUntil = [group.silencedUntil, isReminder ? group.channel.mutedUntil : null].filter((until): until is Date => until !== null && until > now);
  if (!due || heldUntil.length > 0) {
    // Look again when the repeat interval (or the silence, or the mute) ends, or earlier if new alerts arrive.
    const repeatAt = new Date((group.notifiedAt ?? now).getTime() + repeatMs);
    return { kind: 'wait', next: due ? new Date(Math.max(...heldUntil.map((until) => until.getTime()))) : repeatAt };
  }
  const next = new Date(now.getTime() + repeatMs);
  if (isReminder) return { kind: 'remind', told, next };
  const oldestNews = alerts.filter((a) => news.has(a.fingerprint)).reduce<Date | null>((oldest, a) => (oldest === null || a.receivedAt < oldest ? a.receivedAt : oldest), null);
  return { kind: 'sync', told, next, oldestNews };
}

/**
 * Records what every syncing group's channel is told and bumps their versions in one statement,
 * then queues a post or update for each. Only groups still firing change: someone may have pressed
 * Resolve since they were read (the press holds the row until it commits).
 */
async function syncMessages(tx: Tx, provider: Provider, syncs: { group: DueGroup; decision: Extract<Decision, { kind: 'sync' }> }[], now: Date): Promise<void> {
  const changed = await updateRows<{ id: string; messageTs: string | null }>(tx, provider, 'AlertGroup', {
    columns: [
      { name: 'id', type: 'text' },
      { name: 'firing', type: 'text' },
      { name: 'resolved', type: 'text' },
      { name: 'next', type: 'time' },
      { name: 'now', type: 'time' },
    ],
    rows: syncs.map(({ group, decision }) => [group.id, decision.told.notifiedFiring, decision.told.notifiedResolved, decision.next, now]),
    set: ['"notifiedFiring" = v."firing"', '"notifiedResolved" = v."resolved"', '"notifiedAt" = v."now"', '"lastEvaluatedAt" = v."now"', '"nextEvaluationAt" = v."next"', '"version" = "version" + 1', '"updatedAt" = v."now"'],
    where: `"AlertGroup"."status" = 'firing'`,
    returning: ['messageTs'],
  });
  const syncOf = new Map(syncs.map((sync) => [sync.group.id, sync]));
  const requests: SyncRequest[] = [];
  for (const { id, messageTs } of changed) {
    const sync = syncOf.get(id);
    if (sync) requests.push({ group: { id, installationId: sync.group.installationId, channelRowId: sync.group.channelRowId, messageTs }, alertReceivedAt: sync.decision.oldestNews });
  }
  await queueMessageSyncs(tx, requests, now);
}

async function remind(tx: Tx, group: DueGroup, decision: Extract<Decision, { kind: 'remind' }>, now: Date): Promise<void> {
  const updated = await updateIfFiring(tx, group.id, { ...decision.told, lastEvaluatedAt: now, nextEvaluationAt: decision.next, notifiedAt: now });
  if (!updated) return;
  const reply = renderRepeatReply(await loadGroupView(tx, updated), group.firstAlertAt, now);
  await enqueue(tx, [{ installationId: group.installationId, channelRowId: group.channelRowId, kind: 'reply', groupId: group.id, message: { ...reply, broadcast: true } }], now);
}

/** Every alert resolved: the message turns green with a thread reply (if the channel saw it fire), and the group closes. */
async function closeResolved(tx: Tx, group: DueGroup, decision: Extract<Decision, { kind: 'close' }>, now: Date): Promise<void> {
  const updated = await updateIfFiring(tx, group.id, {
    ...decision.told,
    notifiedAt: now,
    status: 'resolved',
    resolvedAt: now,
    openKey: null,
    lastEvaluatedAt: now,
    nextEvaluationAt: null,
    ...(decision.wasTold ? { version: { increment: 1 } } : {}),
  });
  if (!updated || !decision.wasTold) return;
  await queueMessageSyncs(tx, [{ group: updated }], now);
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
