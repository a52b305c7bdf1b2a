// Accepted alerts (IncomingAlert rows not processed yet) → the open alert group of each channel
// that wants them. Runs inside the planner's transaction: the rows are marked processed in the
// same commit that files them into groups, so an alert is filed exactly once, even after a crash.
import { randomUUID } from 'node:crypto';
import type { Alert } from '../alerts/alert.js';
import type { AlertGroup, Channel, IncomingAlert, Installation, Silence } from '../db/database.js';
import { fromRow, Statement, type SqlTx, type SqlValue } from '../db/sql.js';
import { insertRows, selectIn, updateRows } from './batchSql.js';
import { chunks } from './chunks.js';
import { groupIdentity, type GroupIdentity } from './groupKey.js';
import { nextEvaluationAt, type GroupTiming } from './grouping.js';
import { effectiveGrouping } from './groupingSettings.js';
import { routeAlert } from './routing.js';
import { alertFromIncoming, serializeAlert } from './storedAlert.js';

/** What a batch brings to one group of one channel. */
interface GroupChange {
  channel: Channel;
  identity: GroupIdentity;
  timing: GroupTiming;
  /** The latest state of each alert, by fingerprint, with when Herald first received it in this batch. */
  alerts: Map<string, { alert: Alert; receivedAt: Date }>;
  firstReceivedAt: Date;
  externalUrl: string | null;
  tokenId: string | null;
}

const changeKey = (channelRowId: string, groupKey: string) => `${channelRowId}\n${groupKey}`;

/** Files `rows` (in the order received) into groups and marks them processed. Returns how many were routed anywhere. */
export async function fileIncomingAlerts(tx: SqlTx, rows: readonly IncomingAlert[], now: Date): Promise<{ routed: number }> {
  if (rows.length === 0) return { routed: 0 };
  const installationIds = [...new Set(rows.map((row) => row.installationId))];
  const installations = (await selectIn<Record<string, unknown>>(tx, installationIds, (ids) => `SELECT * FROM "Installation" WHERE "id" IN (${ids})`))
    .map((row) => fromRow<Installation>('Installation', row))
    .filter((installation) => installation.active);
  const channels = (await selectIn<Record<string, unknown>>(tx, installationIds, (ids) => `SELECT * FROM "Channel" WHERE "installationId" IN (${ids}) ORDER BY "slot"`)).map((row) =>
    fromRow<Channel>('Channel', row),
  );
  const silences = (await selectIn<Record<string, unknown>>(tx, installationIds, (ids) => `SELECT * FROM "Silence" WHERE "installationId" IN (${ids})`))
    .map((row) => fromRow<Silence>('Silence', row))
    .filter((silence) => silence.endsAt > now);
  const installationById = new Map(installations.map((installation) => [installation.id, installation]));
  // Per workspace once, not per alert: a storm's batch is thousands of alerts of a few workspaces.
  const channelsOf = byInstallation(channels);
  const silencesOf = byInstallation(silences);

  const changes = new Map<string, GroupChange>();
  let routed = 0;
  for (const row of rows) {
    const installation = installationById.get(row.installationId);
    if (!installation) continue; // uninstalled since it was accepted: nobody to tell
    const alert = alertFromIncoming(row);
    const targets = routeAlert(alert, channelsOf.get(row.installationId) ?? [], silencesOf.get(row.installationId) ?? [], now);
    if (targets.length > 0) routed += 1;
    for (const channel of targets) collect(changes, installation, channel, alert, row);
  }

  await applyChanges(tx, [...changes.values()], now);
  for (const ids of chunks(rows.map((row) => row.id))) {
    const statement = new Statement(tx.provider);
    await statement.run(tx, `UPDATE "IncomingAlert" SET "processedAt" = ${statement.param(now, 'time')} WHERE "id" IN (${statement.list(ids)})`);
  }
  return { routed };
}

function byInstallation<T extends { installationId: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.installationId);
    if (list) list.push(row);
    else map.set(row.installationId, [row]);
  }
  return map;
}

function collect(changes: Map<string, GroupChange>, installation: Installation, channel: Channel, alert: Alert, row: IncomingAlert): void {
  const settings = effectiveGrouping(installation, channel);
  const identity = groupIdentity(alert, settings.groupBy);
  const key = changeKey(channel.id, identity.key);
  let change = changes.get(key);
  if (!change) {
    change = { channel, identity, timing: settings.timing, alerts: new Map(), firstReceivedAt: row.receivedAt, externalUrl: null, tokenId: null };
    changes.set(key, change);
  }
  const earlier = change.alerts.get(alert.fingerprint);
  change.alerts.set(alert.fingerprint, { alert, receivedAt: earlier?.receivedAt ?? row.receivedAt });
  if (row.receivedAt < change.firstReceivedAt) change.firstReceivedAt = row.receivedAt;
  change.externalUrl = row.externalUrl ?? change.externalUrl;
  change.tokenId = row.tokenId ?? change.tokenId;
}

async function applyChanges(tx: SqlTx, changes: GroupChange[], now: Date): Promise<void> {
  if (changes.length === 0) return;
  const open = await openGroups(tx, changes);
  const openByKey = new Map(open.map((group) => [changeKey(group.channelRowId, group.groupKey), group]));

  const newGroups: SqlValue[][] = [];
  const touchedGroups: SqlValue[][] = [];
  const touched: { groupId: string; change: GroupChange }[] = [];
  for (const change of changes) {
    const existing = openByKey.get(changeKey(change.channel.id, change.identity.key));
    if (existing) {
      const due = nextEvaluationAt({ firstAlertAt: existing.firstAlertAt.getTime(), lastEvaluatedAt: existing.lastEvaluatedAt?.getTime() ?? null }, change.timing);
      const next = existing.nextEvaluationAt === null ? due : Math.min(existing.nextEvaluationAt.getTime(), due);
      touchedGroups.push([existing.id, new Date(next), change.externalUrl ?? existing.externalUrl, change.tokenId ?? existing.tokenId, now]);
      touched.push({ groupId: existing.id, change });
      continue;
    }
    // A group opens with a firing alert; resolved alerts alone have no message to turn green.
    if (![...change.alerts.values()].some(({ alert }) => alert.status === 'firing')) continue;
    const id = randomUUID();
    const firstAlertAt = change.firstReceivedAt;
    const next = new Date(nextEvaluationAt({ firstAlertAt: firstAlertAt.getTime(), lastEvaluatedAt: null }, change.timing));
    const { key, labels } = change.identity;
    newGroups.push([id, change.channel.installationId, change.channel.id, key, key, JSON.stringify(labels), firstAlertAt, next, change.externalUrl, change.tokenId, now, now]);
    touched.push({ groupId: id, change });
  }
  await insertRows(tx, 'AlertGroup', NEW_GROUP_COLUMNS, newGroups);
  await updateRows(tx, 'AlertGroup', {
    columns: [
      { name: 'id', type: 'text' },
      { name: 'next', type: 'time' },
      { name: 'url', type: 'text' },
      { name: 'token', type: 'text' },
      { name: 'now', type: 'time' },
    ],
    rows: touchedGroups,
    set: ['"nextEvaluationAt" = v."next"', '"externalUrl" = v."url"', '"tokenId" = v."token"', '"updatedAt" = v."now"'],
  });
  await upsertGroupAlerts(tx, touched, now);
}

/** The open groups of the changes' channel × key pairs (the unique index on channel and open key finds them). */
async function openGroups(tx: SqlTx, changes: readonly GroupChange[]): Promise<AlertGroup[]> {
  const wanted = new Set(changes.map((change) => changeKey(change.channel.id, change.identity.key)));
  const channelIds = [...new Set(changes.map((change) => change.channel.id))];
  const groups: AlertGroup[] = [];
  for (const keys of chunks([...new Set(changes.map((change) => change.identity.key))])) {
    const statement = new Statement(tx.provider);
    const sql = `SELECT * FROM "AlertGroup" WHERE "channelRowId" IN (${statement.list(channelIds)}) AND "openKey" IN (${statement.list(keys)})`;
    for (const row of await statement.query<Record<string, unknown>>(tx, sql)) groups.push(fromRow<AlertGroup>('AlertGroup', row));
  }
  return groups.filter((group) => wanted.has(changeKey(group.channelRowId, group.groupKey)));
}

/**
 * Each alert's latest state replaces its earlier one in its group, keeping when Herald first
 * received it: one INSERT … ON CONFLICT per chunk, whatever the number of groups.
 */
async function upsertGroupAlerts(tx: SqlTx, touched: { groupId: string; change: GroupChange }[], now: Date): Promise<void> {
  const rows: SqlValue[][] = [];
  for (const { groupId, change } of touched) {
    for (const [fingerprint, { alert, receivedAt }] of change.alerts) {
      rows.push([groupId, fingerprint, alert.status, alert.severity, serializeAlert(alert), receivedAt, now]);
    }
  }
  await insertRows(
    tx,
    'GroupAlert',
    GROUP_ALERT_COLUMNS,
    rows,
    `ON CONFLICT ("groupId", "fingerprint") DO UPDATE SET "status" = excluded."status", "severity" = excluded."severity", "alert" = excluded."alert", "updatedAt" = excluded."updatedAt"`,
  );
}

/** A new group's columns; the rest (status, what was told, versions) take the schema's defaults. */
const NEW_GROUP_COLUMNS = [
  { name: 'id', type: 'text' },
  { name: 'installationId', type: 'text' },
  { name: 'channelRowId', type: 'text' },
  { name: 'groupKey', type: 'text' },
  { name: 'openKey', type: 'text' },
  { name: 'groupLabels', type: 'text' },
  { name: 'firstAlertAt', type: 'time' },
  { name: 'nextEvaluationAt', type: 'time' },
  { name: 'externalUrl', type: 'text' },
  { name: 'tokenId', type: 'text' },
  { name: 'createdAt', type: 'time' },
  { name: 'updatedAt', type: 'time' },
] as const;

const GROUP_ALERT_COLUMNS = [
  { name: 'groupId', type: 'text' },
  { name: 'fingerprint', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'severity', type: 'text' },
  { name: 'alert', type: 'text' },
  { name: 'receivedAt', type: 'time' },
  { name: 'updatedAt', type: 'time' },
] as const;
