// The SQLite writer thread (client.ts starts it): two connections of its own to one file, and the
// checkpoints. Calls are answered one at a time, in the order they came.
import { workerData } from 'node:worker_threads';
import { planDeliveries } from '../../delivery/planner.js';
import { sqliteAcceptCommit } from '../../ingest/accept/stores/sqliteAcceptCommit.js';
import { answerCalls } from '../../threadAnswers.js';
import { openSqliteConnection } from '../sqliteConnection.js';
import type { WriterRequest } from './client.js';
import { sqliteTransactions } from './transactions.js';

/** How long ingest's commit waits for SQLite's write lock (another process's writer) before the batch fails (503, retry). */
const ACCEPT_LOCK_WAIT_MS = 10_000;
/** How long the planner's BEGIN waits for it before the planner gives up this round (SqlBusy). */
const PLANNER_LOCK_WAIT_MS = 5_000;

const { path } = workerData as { path: string };
// Waiting for the lock blocks this thread only, and Herald's own writers never meet there (they
// take turns), so the driver's busy timeout does the waiting for other processes' writers.
// Ingest's commits are 'durable' (a 202 waits for the disk); delivery's bookkeeping is 'normal'
// (sqliteConnection.ts says why).
const acceptDb = openSqliteConnection(path, 'durable', { timeout: ACCEPT_LOCK_WAIT_MS });
const plannerDb = openSqliteConnection(path, 'normal', { timeout: PLANNER_LOCK_WAIT_MS });
const accept = sqliteAcceptCommit(acceptDb);
const transactions = sqliteTransactions(plannerDb);
const planning = { provider: 'sqlite', sql: transactions.runner } as const;

// Checkpoints run here, off the thread that answers requests (sqliteConnection.ts); also when no
// alerts come, for what delivery wrote. PASSIVE: it copies what no reader still needs and never
// waits for, or blocks, a writer.
const CHECKPOINT_EVERY_MS = 1_000;
const checkpoints = setInterval(() => {
  try {
    acceptDb.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // The next one copies what this one could not; the autocheckpoint marks bound the WAL meanwhile.
  }
}, CHECKPOINT_EVERY_MS);
checkpoints.unref();

answerCalls(
  (request: WriterRequest): unknown => {
    switch (request.kind) {
      case 'accept':
        return accept(request.batch, new Date(request.now), request.repeatWindowMs);
      case 'plan':
        return planDeliveries(planning, new Date(request.now), request.limits);
      case 'begin':
        return transactions.begin();
      case 'query':
        return transactions.query(request.sql, request.params);
      case 'run':
        return transactions.run(request.sql, request.params);
      case 'end':
        return transactions.end(request.commit);
    }
  },
  () => {
    clearInterval(checkpoints);
    plannerDb.close(); // an open transaction rolls back
    acceptDb.close();
  },
);
