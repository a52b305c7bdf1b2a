// Herald's history: what it keeps after the work is done. Accepted alerts (IncomingAlert rows, about
// 1 KB each) are only needed until delivery has filed them into groups; a resolved group and its
// alerts (GroupAlert, the alert's full JSON) only until nothing is left to tell its channel; a dead
// letter and an expired silence only to be looked at. Rows older than ALERT_RETENTION are deleted
// now and then, so each table stays the size of the retention window's traffic instead of filling
// the disk. What is still to be done is never deleted, however old: alerts not filed yet, groups
// still open or with a Slack call still queued, letters still being delivered, silences in force.
// (Audit entries stay: one per human action, they grow at the pace of people, not of alerts.)
import { setImmediate } from 'node:timers/promises';
import { RETENTION_LOCK } from '../db/advisoryLocks.js';
import type { Database } from '../db/database.js';
import { SqlBusy, Statement } from '../db/sql.js';
import type { Logger } from '../log.js';
import { runPeriodically } from '../periodic.js';

/** Start-up, and filing the backlog a restart left, have the thread first. */
export const FIRST_SWEEP_AFTER_MS = 60_000;
export const SWEEP_EVERY_MS = 10 * 60_000;
/**
 * Rows deleted per statement. Each batch is a transaction of its own, so SQLite's write lock is
 * held for one batch at a time and ingest's commits take their turns between batches.
 */
export const SWEEP_BATCH_SIZE = 1_000;

/**
 * A resolved group past the retention: closed (no open key), resolved before `cutoff`, and with no
 * Slack call still queued for it (its last update or reply may be waiting out a rate limit or an
 * outage). Closed groups are read by nothing else; a button pressed on the message of a deleted
 * group is told Herald no longer knows it.
 */
const expiredGroup = (cutoff: string) => `g."openKey" IS NULL AND g."resolvedAt" < ${cutoff}
  AND NOT EXISTS (SELECT 1 FROM "OutboxMessage" o WHERE o."groupId" = g."id" AND o."deadAt" IS NULL)`;

/** One kind of history: its table, its primary key, and the query naming its rows past the cutoff. */
interface History {
  table: string;
  key: string;
  select(cutoff: string, limit: number): string;
}

/**
 * The kinds of history, in the order they are swept: each `select` names up to `limit` rows of its
 * table past `cutoff` (a time parameter; each select uses it once) by their primary `key`, and the
 * sweep deletes them. A group's alerts go before the group, and a group goes only once it has none
 * left, so that no batch deletes more than its limit through the foreign key's cascade (a group can
 * hold thousands of alerts).
 */
const HISTORY = {
  /** Accepted alerts filed before the cutoff (the index on processedAt, receivedAt finds them). */
  alerts: {
    table: 'IncomingAlert',
    key: '"id"',
    select: (cutoff, limit) => `SELECT "id" FROM "IncomingAlert" WHERE "processedAt" IS NOT NULL AND "processedAt" < ${cutoff} LIMIT ${limit}`,
  },
  groupAlerts: {
    table: 'GroupAlert',
    key: '("groupId", "fingerprint")',
    select: (cutoff, limit) => `SELECT a."groupId", a."fingerprint" FROM "GroupAlert" a JOIN "AlertGroup" g ON g."id" = a."groupId" WHERE ${expiredGroup(cutoff)} LIMIT ${limit}`,
  },
  groups: {
    table: 'AlertGroup',
    key: '"id"',
    select: (cutoff, limit) => `SELECT g."id" FROM "AlertGroup" g WHERE ${expiredGroup(cutoff)} AND NOT EXISTS (SELECT 1 FROM "GroupAlert" a WHERE a."groupId" = g."id") LIMIT ${limit}`,
  },
  /** Slack calls given up on (DELIVERY_DEADLINE) before the cutoff, kept until then with their reason. */
  deadLetters: { table: 'OutboxMessage', key: '"id"', select: (cutoff, limit) => `SELECT "id" FROM "OutboxMessage" WHERE "deadAt" IS NOT NULL AND "deadAt" < ${cutoff} LIMIT ${limit}` },
  /** Silences that ended before the cutoff. */
  silences: { table: 'Silence', key: '"id"', select: (cutoff, limit) => `SELECT "id" FROM "Silence" WHERE "endsAt" < ${cutoff} LIMIT ${limit}` },
} satisfies Record<string, History>;

export type HistoryKind = keyof typeof HISTORY;
export type SweepCounts = Record<HistoryKind, number>;

export interface SweepOptions {
  batchSize?: number;
  /** Aborted when Herald stops: the sweep ends after the batch in progress (the next one that deletes rows). */
  signal?: AbortSignal;
}

/**
 * Deletes the history older than `now - retentionMs`, kind after kind, a batch at a time, yielding
 * the thread between batches; returns how many rows of each kind it deleted. When another process
 * is sweeping (PostgreSQL) or SQLite's write lock stays taken, it stops there: the rest is deleted
 * by the next sweep.
 */
export async function sweepHistory(database: Database, now: Date, retentionMs: number, options: SweepOptions = {}): Promise<SweepCounts> {
  const batchSize = Math.floor(options.batchSize ?? SWEEP_BATCH_SIZE);
  const cutoff = new Date(now.getTime() - retentionMs);
  const deleted: SweepCounts = { alerts: 0, groupAlerts: 0, groups: 0, deadLetters: 0, silences: 0 };
  for (const kind of Object.keys(HISTORY) as HistoryKind[]) {
    for (;;) {
      const batch = await deleteBatch(database, kind, cutoff, batchSize);
      if (batch === null) return deleted;
      deleted[kind] += batch;
      if (batch > 0 && options.signal?.aborted) return deleted; // kinds with nothing to delete cost a look each
      if (batch < batchSize) break;
      await setImmediate(); // requests and ingest's commits waiting on the thread go first
    }
  }
  return deleted;
}

/** One batch of one kind, in a transaction of its own; null when the lock is taken (SqlBusy). */
async function deleteBatch(database: Database, kind: HistoryKind, cutoff: Date, batchSize: number): Promise<number | null> {
  const { table, key, select } = HISTORY[kind];
  try {
    return await database.sql.transaction((tx) => {
      const statement = new Statement(tx.provider);
      // The cutoff is encoded as the planner and Prisma write times (sql.ts), so SQLite's text
      // comparison orders them as times.
      return statement.run(tx, `DELETE FROM "${table}" WHERE ${key} IN (${select(statement.param(cutoff, 'time'), batchSize)})`);
    }, { key: RETENTION_LOCK }); // processes sharing PostgreSQL sweep one at a time, not the same rows together
  } catch (error) {
    if (error instanceof SqlBusy) return null;
    throw error;
  }
}

/**
 * Sweeps FIRST_SWEEP_AFTER_MS after start, then SWEEP_EVERY_MS after each sweep ended (periodic.ts).
 * Returns the function that stops it, resolving once a sweep in progress has ended.
 */
export function startRetention(
  deps: { database: Database; log: Logger; retentionMs: number },
  timing: { firstAfterMs: number; everyMs: number } = { firstAfterMs: FIRST_SWEEP_AFTER_MS, everyMs: SWEEP_EVERY_MS },
): () => Promise<void> {
  const { database, log, retentionMs } = deps;
  return runPeriodically({
    what: 'delete expired history',
    ...timing,
    log,
    work: async (signal) => {
      const deleted = await sweepHistory(database, new Date(), retentionMs, { signal });
      if (Object.values(deleted).some((count) => count > 0)) log.info({ deleted, retentionMs }, 'deleted history older than ALERT_RETENTION');
    },
  });
}
