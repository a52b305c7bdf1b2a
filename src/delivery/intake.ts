// Accepted alerts (IncomingAlert rows not processed yet) → the open alert group of each channel
// that wants them. Runs inside the planner's transaction: the rows are marked processed in the
// same commit that files them into groups, so an alert is filed exactly once, even after a crash.
import { randomUUID } from 'node:crypto';
import type { Alert } from '../alerts/alert.js';
import type { Channel, IncomingAlert, Installation, Prisma } from '../db/database.js';
import type { Provider } from '../db/provider.js';
import { Statement, updateRows, type SqlValue } from './batchSql.js';
import { chunks, inChunks } from './chunks.js';
import { groupIdentity, type GroupIdentity } from './groupKey.js';
import { nextEvaluationAt, type GroupTiming } from './grouping.js';
import { effectiveGrouping } from './groupingSettings.js';
import { routeAlert } from './routing.js';
import { alertFromIncoming, serializeAlert } from './storedAlert.js';
import type { Tx } from './transaction.js';

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
export async function fileIncomingAlerts(tx: Tx, provider: Provider, rows: readonly IncomingAlert[], now: Date): Promise<{ routed: number }> {
  if (rows.length === 0) return { routed: 0 };
  const installationIds = [...new Set(rows.map((row) => row.installationId))];
  const [installations, channels, silences] = await Promise.all([
    tx.installation.findMany({ where: { id: { in: installationIds }, active: true } }),
    tx.channel.findMany({ where: { installationId: { in: installationIds } }, orderBy: { slot: 'asc' } }),
    tx.silence.findMany({ where: { installationId: { in: installationIds }, endsAt: { gt: now } } }),
  ]);
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

  await applyChanges(tx, provider, [...changes.values()], now);
  for (const ids of chunks(rows.map((row) => row.id))) await tx.incomingAlert.updateMany({ where: { id: { in: ids } }, data: { processedAt: now } });
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

async function applyChanges(tx: Tx, provider: Provider, changes: GroupChange[], now: Date): Promise<void> {
  if (changes.length === 0) return;
  const open = await inChunks(changes, (chunk) =>
    tx.alertGroup.findMany({
      where: { OR: chunk.map((change) => ({ channelRowId: change.channel.id, openKey: change.identity.key })) },
    }),
  );
  const openByKey = new Map(open.map((group) => [changeKey(group.channelRowId, group.groupKey), group]));

  const newGroups: Prisma.AlertGroupCreateManyInput[] = [];
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
    newGroups.push({
      id,
      installationId: change.channel.installationId,
      channelRowId: change.channel.id,
      groupKey: change.identity.key,
      openKey: change.identity.key,
      groupLabels: JSON.stringify(change.identity.labels),
      firstAlertAt,
      nextEvaluationAt: new Date(nextEvaluationAt({ firstAlertAt: firstAlertAt.getTime(), lastEvaluatedAt: null }, change.timing)),
      externalUrl: change.externalUrl,
      tokenId: change.tokenId,
      createdAt: now,
    });
    touched.push({ groupId: id, change });
  }
  if (newGroups.length > 0) await tx.alertGroup.createMany({ data: newGroups });
  await updateRows(tx, provider, 'AlertGroup', {
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
  await upsertGroupAlerts(tx, provider, touched, now);
}

/**
 * Each alert's latest state replaces its earlier one in its group, keeping when Herald first
 * received it: one INSERT … ON CONFLICT per chunk, whatever the number of groups.
 */
async function upsertGroupAlerts(tx: Tx, provider: Provider, touched: { groupId: string; change: GroupChange }[], now: Date): Promise<void> {
  const rows: SqlValue[][] = [];
  for (const { groupId, change } of touched) {
    for (const [fingerprint, { alert, receivedAt }] of change.alerts) {
      rows.push([groupId, fingerprint, alert.status, alert.severity, serializeAlert(alert), receivedAt, now]);
    }
  }
  for (const chunk of chunks(rows)) {
    const statement = new Statement(provider);
    const values = statement.values(chunk, ['text', 'text', 'text', 'text', 'text', 'time', 'time']);
    await statement.run(
      tx,
      `INSERT INTO "GroupAlert" ("groupId", "fingerprint", "status", "severity", "alert", "receivedAt", "updatedAt") VALUES ${values}
       ON CONFLICT ("groupId", "fingerprint") DO UPDATE SET
         "status" = excluded."status", "severity" = excluded."severity", "alert" = excluded."alert", "updatedAt" = excluded."updatedAt"`,
    );
  }
}
