// The SQLite writer thread, as the request thread sees it. Every write Herald's own code makes to
// a SQLite file outside Prisma runs on that one thread (thread.ts): ingest's commits, the delivery
// planner's batches and retention's deletes. better-sqlite3 is synchronous, so on the request
// thread each of them blocked everything for as long as it ran: commits for their WAL write and
// fsync, planning batches for their statements (7 ms at the median, up to 28 ms, at 1,500
// single-alert requests/s; BENCHMARKS.md). Here the request thread only hands work over and waits.
//
// One thread for all of them, not one each: they take turns at SQLite's one write lock anyway
// (sqliteWriteTurns.ts), and a planner thread of its own cost 40 MiB of peak memory (BENCHMARKS.md).
import type { PlanLimits, PlanResult } from '../../delivery/planner.js';
import type { AcceptOutcome, Acceptance } from '../../ingest/accept/batchPlan.js';
import { threadCalls } from '../../threadCalls.js';
import { busyAsSqlBusy, type SqlParam, type SqlRunner, type SqlTx } from '../sql.js';
import { inWriteTurn } from '../sqliteWriteTurns.js';

/** What the request thread asks of the writer thread. */
export type WriterRequest =
  /** Commit ingest's batch in one durable transaction. */
  | { kind: 'accept'; batch: readonly Acceptance[]; now: number; repeatWindowMs: number }
  /** Plan one delivery batch (planDeliveries), whole, in one transaction. */
  | { kind: 'plan'; now: number; limits: PlanLimits }
  /** Open a transaction of the SqlRunner below: BEGIN IMMEDIATE, waiting up to its lock wait for another process's writer. */
  | { kind: 'begin' }
  /** One statement of the open transaction: its rows (`query`) or how many rows it changed (`run`). */
  | { kind: 'query' | 'run'; sql: string; params: readonly SqlParam[] }
  /** COMMIT (or ROLLBACK) the open transaction. */
  | { kind: 'end'; commit: boolean };

export interface SqliteWriter {
  readonly path: string;
  /** Commits ingest's batch: each payload's outcome, in order. Herald's other writers go before or after it, in turn. */
  accept(batch: readonly Acceptance[], now: Date, repeatWindowMs: number): Promise<AcceptOutcome[]>;
  /** planDeliveries on the writer thread, in its write turn; null when another process holds the lock. */
  plan(now: Date, limits: PlanLimits): Promise<PlanResult | null>;
  /**
   * Transactions whose statements the request thread builds one at a time (retention, tests),
   * each statement a call to the writer thread. Not for the planner: between two statements the
   * write turn stays held while the request thread gets round to the answer, which under load
   * is many milliseconds a statement (BENCHMARKS.md).
   */
  readonly sql: SqlRunner;
  /** Lets the thread finish what it was given, close its connections, and exit. */
  close(): Promise<void>;
}

/**
 * Starts the writer thread of the SQLite file at `path`. A thread that dies (it cannot open the
 * file, say) fails the calls in flight with the cause, and the next call starts a new one; an open
 * transaction dies with it, rolled back by SQLite.
 */
export function openSqliteWriter(path: string): SqliteWriter {
  const thread = threadCalls<WriterRequest, unknown>('the SQLite writer thread', new URL('./thread.ts', import.meta.url), {
    workerData: { path },
    external: ['better-sqlite3'],
  });
  const call = <T>(request: WriterRequest) => thread.call(request) as Promise<T>;
  const inTurn = <T>(work: () => Promise<T>) => inWriteTurn(path, work);

  const tx: SqlTx = {
    provider: 'sqlite',
    query: (sql, params) => call({ kind: 'query', sql, params }),
    run: (sql, params) => call({ kind: 'run', sql, params }),
  };
  // The thread's error keeps its code across the thread, not its class.
  const begin = () =>
    call({ kind: 'begin' }).catch((error: unknown) => {
      throw busyAsSqlBusy(error);
    });
  const sql: SqlRunner = {
    transaction: (work) =>
      inTurn(async () => {
        await begin();
        let result;
        try {
          result = await work(tx);
        } catch (error) {
          // Gone with its thread if that died; otherwise rolled back here.
          await call({ kind: 'end', commit: false }).catch(() => undefined);
          throw error;
        }
        await call({ kind: 'end', commit: true });
        return result;
      }),
  };

  return {
    path,
    // Ingest's batches share one write turn (its team): two go at once (sqliteAcceptStore.ts).
    accept: (batch, now, repeatWindowMs) => inWriteTurn(path, () => call({ kind: 'accept', batch, now: now.getTime(), repeatWindowMs }), { team: 'ingest' }),
    plan: (now, limits) => inTurn(() => call({ kind: 'plan', now: now.getTime(), limits })),
    sql,
    close: () => thread.close(),
  };
}
