// What happens after a Slack call, written in one transaction with the outbox row's fate:
//   sent            → row deleted; a post's ts stored; the channel paced; one more update queued
//                     if the group changed while the call was in flight
//   429             → the channel waits Retry-After; the row stays first in line, no failure counted
//   transient       → the channel backs off exponentially, until the row's deadline: then dead
//   too large       → rendered compact once, then dead
//   channel broken  → the channel is marked broken; its rows wait for a person to fix it
//   installation    → deactivated, secrets erased, its rows dead
//   anything else   → the row is dead, with Slack's reason
import type { Database, OutboxMessage, Prisma } from '../db/database.js';
import { backoffMs } from './backoff.js';
import { queueMessageSyncs } from './outbox.js';
import type { SendResult } from './sender.js';
import { DELIVERY_TRANSACTION, type Tx } from './transaction.js';

export interface SettleOptions {
  /** Minimum time between two calls to one channel (Slack allows about one message a second). */
  paceMs: number;
  /** A row still undelivered this long after it was queued is dead-lettered. */
  deadlineMs: number;
  /** Marks the installation uninstalled and erases its secrets (the installation store's deactivate). */
  deactivate: (installationId: string, at: Date) => Promise<unknown>;
  random?: () => number;
}

/** What settling decided, for metrics and logs. */
export type Settlement =
  | { fate: 'sent' }
  | { fate: 'retry'; reason: string; rateLimited: boolean }
  | { fate: 'dead'; reason: string }
  | { fate: 'channel_broken'; reason: string }
  | { fate: 'installation_gone'; reason: string };

/**
 * `calledAt` is when the call was made: the next call to the channel may go `paceMs` after it, as
 * Slack counts calls as they arrive (pacing from the answer would add each call's latency to the gap).
 */
export async function settleDelivery(database: Database, row: OutboxMessage, result: SendResult, now: Date, options: SettleOptions, calledAt: Date): Promise<Settlement> {
  const release = { leaseOwner: null, leaseUntil: null };
  const paced = new Date(calledAt.getTime() + options.paceMs);

  if (result.ok) {
    await database.prisma.$transaction(async (tx) => {
      // The row goes first: recordShown queues one more update only when none is waiting, and
      // this row, still in the table, would count as waiting.
      await tx.outboxMessage.deleteMany({ where: { id: row.id } });
      if (result.group) await recordShown(tx, result.group, now);
      await tx.channel.updateMany({ where: { id: row.channelRowId }, data: { ...release, nextSendAt: paced, lastDeliveryAt: now, lastError: null } });
    }, DELIVERY_TRANSACTION);
    return { fate: 'sent' };
  }

  const { outcome } = result;
  const db = database.prisma;
  // A post that may have reached Slack unanswered stays marked, so its next attempt looks for it first.
  const marked: Prisma.OutboxMessageUpdateManyMutationInput = result.inDoubt ? {} : { sendingSince: null };
  switch (outcome.kind) {
    case 'rate_limited': {
      const until = new Date(now.getTime() + Math.max(outcome.retryAfterMs, options.paceMs));
      // Slack pacing the channel, not the call failing: not counted, or a 5xx after a storm's 429s
      // would be backed off as if each 429 had been a failure (2^n seconds, up to 5 minutes).
      await tryAgainLater(database, row, { ...marked, lastError: 'ratelimited' }, { nextSendAt: until }, { countAttempt: false });
      return { fate: 'retry', reason: 'ratelimited', rateLimited: true };
    }
    case 'too_large':
      if (!row.compact) {
        await tryAgainLater(database, row, { ...marked, lastError: outcome.reason, compact: true }, { nextSendAt: paced });
        return { fate: 'retry', reason: outcome.reason, rateLimited: false };
      }
      return deadLetter(database, row, outcome.reason, now, paced);
    case 'transient':
    case 'token_expired':
    case 'message_gone': {
      if (now.getTime() - row.createdAt.getTime() >= options.deadlineMs) return deadLetter(database, row, `deadline_passed: ${outcome.reason}`, now, paced);
      const wait = backoffMs(row.attempts + 1, options.random);
      await tryAgainLater(database, row, { ...marked, lastError: outcome.reason }, { nextSendAt: new Date(now.getTime() + wait), lastError: outcome.reason });
      return { fate: 'retry', reason: outcome.reason, rateLimited: false };
    }
    case 'channel_broken':
      // The rows wait (up to their deadline) for someone to fix the channel and add it again.
      await db.channel.updateMany({ where: { id: row.channelRowId }, data: { ...release, brokenAt: now, brokenReason: outcome.reason, lastError: outcome.reason } });
      return { fate: 'channel_broken', reason: outcome.reason };
    case 'installation_gone':
      await options.deactivate(row.installationId, now);
      await db.$transaction([
        db.outboxMessage.updateMany({ where: { installationId: row.installationId, deadAt: null }, data: { deadAt: now, deadReason: `installation_gone: ${outcome.reason}` } }),
        db.channel.updateMany({ where: { id: row.channelRowId }, data: release }),
      ]);
      return { fate: 'installation_gone', reason: outcome.reason };
    case 'permanent':
      return deadLetter(database, row, outcome.reason, now, paced);
  }
}

/** The group's message now shows `shownVersion`; if the group moved on meanwhile, queue one more update. */
async function recordShown(tx: Tx, shown: { id: string; postedTs?: string; shownVersion: number }, now: Date): Promise<void> {
  // Updating the row first locks it, so a planner changing the group waits for this (see AlertGroup.version).
  const group = await tx.alertGroup.update({
    where: { id: shown.id },
    data: { sentVersion: shown.shownVersion, ...(shown.postedTs ? { messageTs: shown.postedTs } : {}) },
  }).catch(() => null); // deleted with its channel meanwhile
  if (group && group.version > shown.shownVersion) await queueMessageSyncs(tx, [{ group }], now);
}

async function deadLetter(database: Database, row: OutboxMessage, reason: string, now: Date, paced: Date): Promise<Settlement> {
  await tryAgainLater(database, row, { deadAt: now, deadReason: reason }, { nextSendAt: paced, lastError: reason });
  return { fate: 'dead', reason };
}

/** One more failed attempt counted on the row (or its death recorded), and the channel released until `channel.nextSendAt`. */
async function tryAgainLater(
  database: Database,
  row: OutboxMessage,
  rowData: Prisma.OutboxMessageUpdateManyMutationInput,
  channel: { nextSendAt: Date; lastError?: string },
  { countAttempt }: { countAttempt: boolean } = { countAttempt: true },
): Promise<void> {
  const db = database.prisma;
  await db.$transaction([
    db.outboxMessage.updateMany({ where: { id: row.id }, data: { ...rowData, ...(countAttempt ? { attempts: { increment: 1 } } : {}) } }),
    db.channel.updateMany({ where: { id: row.channelRowId }, data: { leaseOwner: null, leaseUntil: null, ...channel } }),
  ]);
}

/** Rows past their deadline on a channel nobody can deliver to (broken, or never claimed) die here. */
export async function expireOverdue(database: Database, now: Date, deadlineMs: number): Promise<number> {
  const { count } = await database.prisma.outboxMessage.updateMany({
    where: { deadAt: null, createdAt: { lte: new Date(now.getTime() - deadlineMs) } },
    data: { deadAt: now, deadReason: 'deadline_passed' },
  });
  return count;
}
