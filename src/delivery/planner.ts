// The planning step of delivery, in one transaction: file newly accepted alerts into groups, then
// evaluate the groups whose time has come, writing outbox rows for what channels must be told.
// One planner runs at a time across processes (a PostgreSQL advisory lock; SQLite's single writer),
// so two processes never open the same group twice or queue the same notification twice.
import { PLANNER_LOCK } from '../db/advisoryLocks.js';
import type { Database, IncomingAlert } from '../db/database.js';
import { fromRow, SqlBusy, Statement } from '../db/sql.js';
import { evaluateDueGroups } from './evaluate.js';
import { fileIncomingAlerts } from './intake.js';

export interface PlanLimits {
  /** Accepted alerts filed per transaction. */
  alerts: number;
  /** Groups evaluated per transaction. */
  groups: number;
}

/**
 * SQLite has one writer: a long planning transaction holds off ingest's commits, and so the
 * answers to requests, so SQLite plans in small transactions (on the loaded 2-core bench machine a
 * plan of 1,000 new alerts took 25–75 ms, one of 100 5–10 ms). PostgreSQL's row locks let ingest
 * commit beside a larger one.
 */
export const DEFAULT_PLAN_LIMITS: Record<Database['provider'], PlanLimits> = {
  sqlite: { alerts: 100, groups: 50 },
  postgresql: { alerts: 2000, groups: 200 },
};

/** The most alerts one batch files, however large ingest's commits. */
const MAX_PLAN_ALERTS: Record<Database['provider'], number> = { sqlite: 2000, postgresql: 8000 };

/**
 * Filing is behind when a full batch's oldest alert was accepted longer ago than this: a burst (a
 * storm) outran it. Groups falling due meanwhile wait for filing (the flush hold below), so their
 * first messages wait too. The worker then plans back to back instead of within its per-tick budget
 * (worker.ts), and once ingest is quiet the batches file at least CATCH_UP_ALERTS: more alerts a
 * second, at the cost of holding SQLite's writer longer each, which only the answers to requests
 * would feel. While requests still come, batches stay small: at half the peak of 100-alert
 * requests, catch-up batches of 1,000 (37 ms at the median, up to 72) put SQLite's p99 at
 * 54–103 ms where small batches back to back kept it at 39–47 (BENCHMARKS.md; measured while the
 * planner still ran on the request thread).
 */
const BEHIND_AFTER_MS = 500;
const CATCH_UP_ALERTS = 1000;
/** Ingest is quiet when it has committed nothing for this long. */
const INGEST_QUIET_MS = 250;

/** What the worker knows of filing when it plans a batch. */
export interface FilingState {
  /** The last batch said filing is behind (PlanResult.behind). */
  behind: boolean;
  /** Milliseconds since ingest's last commit. */
  sinceCommitMs: number;
}

const CAUGHT_UP: FilingState = { behind: false, sinceCommitMs: Infinity };

/**
 * A batch's limits when ingest's largest group commit since the last batch held `largestCommit`
 * alerts: the defaults, or as many alerts as that commit when it was larger. Batches and ingest's
 * commits take turns, so under a flood each batch files what a commit brought and filing keeps
 * pace with ingest (with fixed small batches, a flood of 100-alert requests on SQLite left 120,000
 * alerts unfiled after 10 s); a batch takes about as long as the commits it alternates with.
 */
export function planLimits(provider: Database['provider'], largestCommit: number, filing: FilingState = CAUGHT_UP): PlanLimits {
  const limits = DEFAULT_PLAN_LIMITS[provider];
  const catchUp = filing.behind && filing.sinceCommitMs >= INGEST_QUIET_MS;
  const floor = catchUp ? Math.max(limits.alerts, CATCH_UP_ALERTS) : limits.alerts;
  return { ...limits, alerts: Math.min(MAX_PLAN_ALERTS[provider], Math.max(floor, largestCommit)) };
}

export interface PlanResult {
  filed: number;
  evaluated: number;
  /** A batch was full: call again at once. */
  more: boolean;
  /** The batch was full of alerts accepted more than BEHIND_AFTER_MS before it: the next are planned with FilingState.behind. */
  behind: boolean;
}

/**
 * A group flushing while alerts accepted before its time are still waiting to be filed would
 * leave them out of its message, and telling them would cost another call a group_interval later
 * (a storm's first messages would each be followed by an update). So while a backlog is being
 * filed, only groups due by the last alert filed are evaluated: every alert accepted before then
 * is in. A backlog that filing cannot catch up with holds flushes back by at most this long.
 */
const MAX_FLUSH_HOLD_MS = 5_000;

function flushCutoff(filed: IncomingAlert[], limits: PlanLimits, now: Date): Date {
  const last = filed.at(-1);
  if (filed.length < limits.alerts || !last) return now; // nothing accepted is left unfiled
  return new Date(Math.min(now.getTime(), Math.max(last.receivedAt.getTime(), now.getTime() - MAX_FLUSH_HOLD_MS)));
}

/** What planning uses of a Database: its transactions straight through the driver. */
export type PlanningDatabase = Pick<Database, 'provider' | 'sql'>;

/**
 * Plans the next batch where it holds up requests least. On SQLite that is the writer thread,
 * whole: better-sqlite3 is synchronous, and on the request thread a batch held everything for as
 * long as it ran. PostgreSQL's driver is asynchronous: the batch runs here, between requests.
 */
export function planNextBatch(database: Database, now: Date, limits: PlanLimits = DEFAULT_PLAN_LIMITS[database.provider]): Promise<PlanResult | null> {
  return database.driver.provider === 'sqlite' ? database.driver.writer.plan(now, limits) : planDeliveries(database, now, limits);
}

/** Plans once; null when another process is planning right now (or holds SQLite's write lock for long). */
export async function planDeliveries(database: PlanningDatabase, now: Date, limits: PlanLimits = DEFAULT_PLAN_LIMITS[database.provider]): Promise<PlanResult | null> {
  try {
    return await database.sql.transaction(async (tx) => {
      const statement = new Statement(tx.provider);
      // Ordered by the index's own columns, though processedAt is NULL in every row read: PostgreSQL
      // does not treat IS NULL as pinning the column, so ORDER BY "receivedAt" alone made it fetch
      // every unfiled row, then sort them all to keep the first batch (190-270 ms under a 9,300
      // alerts/s load, EXPLAIN ANALYZE). In index order it stops at the limit, and its index scans
      // mark the entries of rows already filed as dead, which the next scans skip (1-2 ms).
      const sql = `SELECT * FROM "IncomingAlert" WHERE "processedAt" IS NULL ORDER BY "processedAt", "receivedAt" LIMIT ${Math.floor(limits.alerts)}`;
      const incoming = (await statement.query<Record<string, unknown>>(tx, sql)).map((row) => fromRow<IncomingAlert>('IncomingAlert', row));
      await fileIncomingAlerts(tx, incoming, now);
      const evaluated = await evaluateDueGroups(tx, now, limits.groups, flushCutoff(incoming, limits, now));
      const full = incoming.length === limits.alerts;
      const waited = incoming[0] === undefined ? 0 : now.getTime() - incoming[0].receivedAt.getTime();
      return { filed: incoming.length, evaluated, more: full || evaluated === limits.groups, behind: full && waited > BEHIND_AFTER_MS };
    }, { key: PLANNER_LOCK });
  } catch (error) {
    if (error instanceof SqlBusy) return null;
    throw error;
  }
}
