// Accepted payloads into SQLite, committed on a thread of their own (sqliteAcceptThread.ts).
// better-sqlite3 is synchronous: committing on the thread that answers requests blocked it for
// every commit's WAL write, fsync and checkpoint (about a quarter of its time under load, measured
// with --cpu-prof; see BENCHMARKS.md). Here that thread only hands batches over and waits.
import { inWriteTurn } from '../../../db/sqliteWriteTurns.js';
import { threadCalls } from '../../../threadCalls.js';
import type { Acceptance, AcceptOutcome } from '../batchPlan.js';
import type { AcceptStore } from './acceptStore.js';

/** One batch for the thread to commit. */
export interface AcceptCall {
  batch: readonly Acceptance[];
  now: number;
  repeatWindowMs: number;
}

export function sqliteAcceptStore(path: string): AcceptStore {
  // A thread that dies (it cannot open the file, say) fails the batches in flight, which are
  // answered 503 and retried by their senders; the next batch starts a new thread.
  const thread = threadCalls<AcceptCall, AcceptOutcome[]>('the SQLite accept thread', new URL('./sqliteAcceptThread.ts', import.meta.url), {
    workerData: { path },
    external: ['better-sqlite3'],
  });
  return {
    // Two: the thread commits one batch while the next is on its way to it, instead of waiting for
    // the request thread to hear of each commit first (half of every commit's round trip at one
    // alert per request; BENCHMARKS.md). For that, ingest's batches share one write turn (its team).
    batchesInFlight: 2,
    commit: (batch, now, repeatWindowMs) =>
      // Herald's planner writes to the same file: the two take turns rather than meet at the lock.
      inWriteTurn(path, () => thread.call({ batch, now: now.getTime(), repeatWindowMs }), { team: 'ingest' }),
    close: () => thread.close(),
  };
}
