// Accepted alerts (IncomingAlert rows, about 1 KB each) are only needed until delivery has filed them
// into groups: the groups keep what their messages show. Filed rows older than ALERT_RETENTION are
// deleted now and then, so the table stays the size of the retention window's traffic instead of
// filling the disk. Rows not filed yet are never deleted, however old: they are still to be told.
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

export interface SweepOptions {
  batchSize?: number;
  /** Aborted when Herald stops: the sweep ends after the batch in progress. */
  signal?: AbortSignal;
}

/**
 * Deletes the alerts filed before `now - retentionMs`, a batch at a time, yielding the thread between
 * batches; returns how many it deleted. When another process is sweeping (PostgreSQL) or SQLite's
 * write lock stays taken, it stops there: the rest is deleted by the next sweep.
 */
export async function sweepExpiredAlerts(database: Database, now: Date, retentionMs: number, options: SweepOptions = {}): Promise<number> {
  const batchSize = Math.floor(options.batchSize ?? SWEEP_BATCH_SIZE);
  const cutoff = new Date(now.getTime() - retentionMs);
  let deleted = 0;
  for (;;) {
    const batch = await deleteBatch(database, cutoff, batchSize);
    if (batch === null) return deleted;
    deleted += batch;
    if (batch < batchSize || options.signal?.aborted) return deleted;
    await setImmediate(); // requests and ingest's commits waiting on the thread go first
  }
}

/** One batch, in a transaction of its own; null when the lock is taken (SqlBusy). */
async function deleteBatch(database: Database, cutoff: Date, batchSize: number): Promise<number | null> {
  try {
    return await database.sql.transaction((tx) => {
      const statement = new Statement(tx.provider);
      // The cutoff is encoded as the planner wrote processedAt (sql.ts), so SQLite's text comparison
      // orders them as times. The index on (processedAt, receivedAt) finds the rows.
      const expired = `SELECT "id" FROM "IncomingAlert" WHERE "processedAt" IS NOT NULL AND "processedAt" < ${statement.param(cutoff, 'time')} LIMIT ${batchSize}`;
      return statement.run(tx, `DELETE FROM "IncomingAlert" WHERE "id" IN (${expired})`);
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
export function startAlertRetention(
  deps: { database: Database; log: Logger; retentionMs: number },
  timing: { firstAfterMs: number; everyMs: number } = { firstAfterMs: FIRST_SWEEP_AFTER_MS, everyMs: SWEEP_EVERY_MS },
): () => Promise<void> {
  const { database, log, retentionMs } = deps;
  return runPeriodically({
    what: 'delete expired alerts',
    ...timing,
    log,
    work: async (signal) => {
      const deleted = await sweepExpiredAlerts(database, new Date(), retentionMs, { signal });
      if (deleted > 0) log.info({ deleted, retentionMs }, 'deleted accepted alerts filed longer ago than ALERT_RETENTION');
    },
  });
}
