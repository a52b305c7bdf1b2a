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
import { fromRow, Statement, type SqlTx, type SqlType, type SqlValue } from '../db/sql.js';
import { renderRepeatReply, renderResolvedReply } from '../render/index.js';
import { selectIn, updateRows } from './batchSql.js';
import { needsNotification, type CurrentAlerts, type LastNotification } from './grouping.js';
import { effectiveGrouping } from './groupingSettings.js';
import { groupView } from './groupView.js';
import { enqueueBySql, queueMessageSyncsBySql, type SyncRequest } from './outbox.js';

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

/** Evaluates up to `limit` groups due by `dueBy` (default now); returns how many it looked at. */
export async function evaluateDueGroups(tx: SqlTx, now: Date, limit: number, dueBy: Date = now): Promise<number> {
  const groups = await dueGroups(tx, dueBy, limit);
  // One query for every due group's alert states (not their JSON: a storm's group holds
  // thousands, and only a reply needs them).
  const states = await selectIn<Record<string, unknown>>(
    tx,
    groups.map((group) => group.id),
    (ids) => `SELECT "groupId", "fingerprint", "status", "receivedAt" FROM "GroupAlert" WHERE "groupId" IN (${ids})`,
  );
  const statesOf = new Map<string, AlertState[]>();
  for (const raw of states) {
    const state = fromRow<AlertState & { groupId: string }>('GroupAlert', raw);
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
  await updateRows(tx, 'AlertGroup', {
    columns: [
      { name: 'id', type: 'text' },
      { name: 'next', type: 'time' },
      { name: 'now', type: 'time' },
    ],
    rows: waits,
    set: ['"lastEvaluatedAt" = v."now"', '"nextEvaluationAt" = v."next"', '"updatedAt" = v."now"'],
  });
  await syncMessages(tx, syncs, now);
  return groups.length;
}

/** The groups whose time has come, with their channel and workspace. */
async function dueGroups(tx: SqlTx, dueBy: Date, limit: number): Promise<DueGroup[]> {
  const statement = new Statement(tx.provider);
  const sql = `SELECT * FROM "AlertGroup" WHERE "openKey" IS NOT NULL AND "nextEvaluationAt" <= ${statement.param(dueBy, 'time')} ORDER BY "nextEvaluationAt" LIMIT ${Math.floor(limit)}`;
  const groups = (await statement.query<Record<string, unknown>>(tx, sql)).map((row) => fromRow<AlertGroup>('AlertGroup', row));
  if (groups.length === 0) return [];
  const channels = await selectIn<Record<string, unknown>>(tx, [...new Set(groups.map((g) => g.channelRowId))], (ids) => `SELECT * FROM "Channel" WHERE "id" IN (${ids})`);
  const installations = await selectIn<Record<string, unknown>>(tx, [...new Set(groups.map((g) => g.installationId))], (ids) => `SELECT * FROM "Installation" WHERE "id" IN (${ids})`);
  const channelById = new Map(channels.map((row) => fromRow<Channel>('Channel', row)).map((channel) => [channel.id, channel]));
  const installationById = new Map(installations.map((row) => fromRow<Installation>('Installation', row)).map((installation) => [installation.id, installation]));
  return groups.flatMap((group) => {
    const channel = channelById.get(group.channelRowId);
    const installation = installationById.get(group.installationId);
    return channel && installation ? [{ ...group, channel, installation }] : [];
  });
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
async function syncMessages(tx: SqlTx, syncs: { group: DueGroup; decision: Extract<Decision, { kind: 'sync' }> }[], now: Date): Promise<void> {
  const changed = await updateRows<{ id: string; messageTs: string | null }>(tx, 'AlertGroup', {
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
  await queueMessageSyncsBySql(tx, requests, now);
}

async function remind(tx: SqlTx, group: DueGroup, decision: Extract<Decision, { kind: 'remind' }>, now: Date): Promise<void> {
  const updated = await updateIfFiring(tx, group.id, {
    notifiedFiring: [decision.told.notifiedFiring, 'text'],
    notifiedResolved: [decision.told.notifiedResolved, 'text'],
    notifiedAt: [now, 'time'],
    lastEvaluatedAt: [now, 'time'],
    nextEvaluationAt: [decision.next, 'time'],
  }, now);
  if (!updated) return;
  const reply = renderRepeatReply(await loadView(tx, updated), group.firstAlertAt, now);
  await enqueueBySql(tx, [{ installationId: group.installationId, channelRowId: group.channelRowId, kind: 'reply', groupId: group.id, message: { ...reply, broadcast: true } }], now);
}

/** Every alert resolved: the message turns green with a thread reply (if the channel saw it fire), and the group closes. */
async function closeResolved(tx: SqlTx, group: DueGroup, decision: Extract<Decision, { kind: 'close' }>, now: Date): Promise<void> {
  const updated = await updateIfFiring(tx, group.id, {
    notifiedFiring: [decision.told.notifiedFiring, 'text'],
    notifiedResolved: [decision.told.notifiedResolved, 'text'],
    notifiedAt: [now, 'time'],
    status: ['resolved', 'text'],
    resolvedAt: [now, 'time'],
    openKey: [null, 'text'],
    lastEvaluatedAt: [now, 'time'],
    nextEvaluationAt: [null, 'time'],
  }, now, decision.wasTold);
  if (!updated || !decision.wasTold) return;
  await queueMessageSyncsBySql(tx, [{ group: updated }], now);
  const reply = renderResolvedReply(await loadView(tx, updated), group.firstAlertAt, now);
  await enqueueBySql(tx, [{ installationId: group.installationId, channelRowId: group.channelRowId, kind: 'reply', groupId: group.id, message: reply }], now);
}

/**
 * Changes the group only while it still fires: someone may have pressed Resolve since it was read
 * (the press holds the row until it commits), and then there is nothing left to tell.
 */
async function updateIfFiring(tx: SqlTx, id: string, columns: Record<string, [SqlValue, SqlType]>, now: Date, bumpVersion = false): Promise<AlertGroup | null> {
  const statement = new Statement(tx.provider);
  const set = Object.entries({ ...columns, updatedAt: [now, 'time'] as [SqlValue, SqlType] }).map(([name, [value, type]]) => `"${name}" = ${statement.param(value, type)}`);
  if (bumpVersion) set.push('"version" = "version" + 1');
  const sql = `UPDATE "AlertGroup" SET ${set.join(', ')} WHERE "id" = ${statement.param(id)} AND "status" = 'firing' RETURNING *`;
  const [row] = await statement.query<Record<string, unknown>>(tx, sql);
  return row ? fromRow<AlertGroup>('AlertGroup', row) : null;
}

/** The group as the renderer sees it, for a reply. */
async function loadView(tx: SqlTx, group: AlertGroup) {
  const statement = new Statement(tx.provider);
  const rows = await statement.query<{ alert: string }>(tx, `SELECT "alert" FROM "GroupAlert" WHERE "groupId" = ${statement.param(group.id)}`);
  return groupView(group, rows.map((row) => row.alert));
}
