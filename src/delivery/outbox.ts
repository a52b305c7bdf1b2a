// Writing the outbox: every Slack call Herald will make is a row, written in the transaction that
// made the change calling for it. Rows of a channel are sent in id order by one sender at a time.
import type { Prisma } from '../db/database.js';
import type { SlackMessage } from '../render/index.js';
import type { SqlTx, SqlValue } from '../db/sql.js';
import { insertRows, selectIn } from './batchSql.js';
import { inChunks } from './chunks.js';
import type { Tx } from './transaction.js';

export const OUTBOX_KINDS = ['post', 'update', 'reply', 'test'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/** A message rendered when queued (`reply`, `test`). `broadcast` also shows a thread reply in the channel. */
export interface QueuedMessage extends SlackMessage {
  broadcast?: boolean;
}

export interface OutboxEntry {
  installationId: string;
  channelRowId: string;
  kind: OutboxKind;
  groupId?: string;
  message?: QueuedMessage;
  /** The oldest alert this call brings news of, for the latency histogram. */
  alertReceivedAt?: Date | null;
}

/** The columns an entry fills; the rest (attempts, compact, dead-letter fields) take the schema's defaults. */
const OUTBOX_COLUMNS = [
  { name: 'installationId', type: 'text' },
  { name: 'channelRowId', type: 'text' },
  { name: 'kind', type: 'text' },
  { name: 'groupId', type: 'text' },
  { name: 'payload', type: 'text' },
  { name: 'alertReceivedAt', type: 'time' },
  { name: 'createdAt', type: 'time' },
] as const;

function outboxRow(entry: OutboxEntry, now: Date): Prisma.OutboxMessageCreateManyInput {
  return {
    installationId: entry.installationId,
    channelRowId: entry.channelRowId,
    kind: entry.kind,
    groupId: entry.groupId ?? null,
    payload: entry.message === undefined ? null : JSON.stringify(entry.message),
    alertReceivedAt: entry.alertReceivedAt ?? null,
    createdAt: now,
  };
}

export async function enqueue(tx: Tx, entries: readonly OutboxEntry[], now: Date): Promise<void> {
  if (entries.length === 0) return;
  await tx.outboxMessage.createMany({ data: entries.map((entry) => outboxRow(entry, now)) });
}

/** enqueue, in the planner's transaction (sql.ts). */
export async function enqueueBySql(tx: SqlTx, entries: readonly OutboxEntry[], now: Date): Promise<void> {
  const rows = entries.map((entry) => {
    const row = outboxRow(entry, now);
    return OUTBOX_COLUMNS.map(({ name }) => (row[name] ?? null) as SqlValue);
  });
  await insertRows(tx, 'OutboxMessage', OUTBOX_COLUMNS, rows);
}

export interface SyncRequest {
  group: { id: string; installationId: string; channelRowId: string; messageTs: string | null };
  /** The oldest alert the sync brings news of, for the latency histogram. */
  alertReceivedAt?: Date | null;
}

/**
 * Queues what brings each group's message up to date: a post when it has none yet, else an update;
 * nothing for a group whose post or update is already waiting, since those render the group as it
 * stands when sent. Call it after bumping the groups' versions, which locks their rows (see
 * AlertGroup.version).
 */
export async function queueMessageSyncs(tx: Tx, requests: readonly SyncRequest[], now: Date): Promise<void> {
  if (requests.length === 0) return;
  const waiting = await inChunks(
    requests.map((request) => request.group.id),
    (ids) => tx.outboxMessage.findMany({ where: { groupId: { in: ids }, deadAt: null, kind: { in: ['post', 'update'] } }, select: { groupId: true } }),
  );
  await enqueue(tx, syncEntries(requests, waiting), now);
}

/** queueMessageSyncs, in the planner's transaction (sql.ts). */
export async function queueMessageSyncsBySql(tx: SqlTx, requests: readonly SyncRequest[], now: Date): Promise<void> {
  if (requests.length === 0) return;
  const waiting = await selectIn<{ groupId: string | null }>(
    tx,
    requests.map((request) => request.group.id),
    (ids) => `SELECT "groupId" FROM "OutboxMessage" WHERE "groupId" IN (${ids}) AND "deadAt" IS NULL AND "kind" IN ('post', 'update')`,
  );
  await enqueueBySql(tx, syncEntries(requests, waiting), now);
}

function syncEntries(requests: readonly SyncRequest[], waiting: readonly { groupId: string | null }[]): OutboxEntry[] {
  const hasWaiting = new Set(waiting.map((row) => row.groupId));
  return requests
    .filter(({ group }) => !hasWaiting.has(group.id))
    .map(({ group, alertReceivedAt }) => ({
      installationId: group.installationId,
      channelRowId: group.channelRowId,
      kind: group.messageTs === null ? 'post' : 'update',
      groupId: group.id,
      alertReceivedAt: alertReceivedAt ?? null,
    }));
}
