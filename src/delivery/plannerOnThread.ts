// The delivery planner on a thread of its own (plannerThread.ts), with its own connection. On the
// request thread a SQLite batch ran without yielding (better-sqlite3 is synchronous): at half the
// peak of single-alert requests, 7 ms at the median and up to 28 ms, during which no request was
// read or answered. On PostgreSQL the work between a batch's statements (reading 2,000 rows,
// building the upserts) held the thread in pieces of several milliseconds. BENCHMARKS.md has the figures.
import { providerOf, sqlitePath } from '../db/provider.js';
import { inWriteTurn } from '../db/sqliteWriteTurns.js';
import { threadCalls } from '../threadCalls.js';
import type { Planner, PlanLimits, PlanResult } from './planner.js';

/** One batch for the thread to plan. */
export interface PlanCall {
  now: number;
  limits: PlanLimits;
}

export function plannerOnThread(databaseUrl: string): Planner {
  const thread = threadCalls<PlanCall, PlanResult | null>('the delivery planner thread', new URL('./plannerThread.ts', import.meta.url), {
    workerData: { databaseUrl },
    external: ['better-sqlite3', 'pg'],
    
  });
  const plan = (now: Date, limits: PlanLimits) => thread.call({ now: now.getTime(), limits });
  // SQLite: the batch is one of Herald's writers on the file (sqliteWriteTurns.ts), so it takes its
  // turn here, where ingest and Prisma take theirs.
  const sqlite = providerOf(databaseUrl) === 'sqlite' ? sqlitePath(databaseUrl) : null;
  return {
    plan: sqlite === null ? plan : (now, limits) => inWriteTurn(sqlite, () => plan(now, limits)),
    close: () => thread.close(),
  };
}
