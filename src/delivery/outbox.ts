// Writing the outbox: every Slack call Herald will make is a row, written in the transaction that
// made the change calling for it. Rows of a channel are sent in id order by one sender at a time.
import type { Prisma } from '../db/database.js';
import type { SlackMessage } from '../render/index.js';
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

export async function enqueue(tx: Tx, entries: readonly OutboxEntry[], now: Date): Promise<void> {
  if (entries.length === 0) return;
  const data: Prisma.OutboxMessageCreateManyInput[] = entries.map((entry) => ({
    installationId: entry.installationId,
    channelRowId: entry.channelRowId,
    kind: entry.kind,
    groupId: entry.groupId ?? null,
    payload: entry.message === undefined ? null : JSON.stringify(entry.message),
    alertReceivedAt: entry.alertReceivedAt ?? null,
    createdAt: now,
  }));
  await tx.outboxMessage.createMany({ data });
}

/**
 * Queues what brings the group's message up to date: a post when it has none yet, else an update;
 * nothing when a post or update is already waiting, since those render the group as it stands when
 * sent. Call it after bumping the group's version, which locks its row (see AlertGroup.version).
 */
export async function queueMessageSync(
  tx: Tx,
  group: { id: string; installationId: string; channelRowId: string; messageTs: string | null },
  now: Date,
  alertReceivedAt: Date | null = null,
): Promise<void> {
  const waiting = await tx.outboxMessage.count({ where: { groupId: group.id, deadAt: null, kind: { in: ['post', 'update'] } } });
  if (waiting > 0) return;
  const kind = group.messageTs === null ? 'post' : 'update';
  await enqueue(tx, [{ installationId: group.installationId, channelRowId: group.channelRowId, kind, groupId: group.id, alertReceivedAt }], now);
}
