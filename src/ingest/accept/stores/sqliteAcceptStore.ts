// Accepted payloads into SQLite, committed on a thread of their own (sqliteAcceptThread.ts).
// better-sqlite3 is synchronous: committing on the thread that answers requests blocked it for
// every commit's WAL write, fsync and checkpoint (about a quarter of its time under load, measured
// with --cpu-prof; see BENCHMARKS.md). Here that thread only hands batches over and waits.
import type { Worker } from 'node:worker_threads';
import { inWriteTurn } from '../../../db/sqliteWriteTurns.js';
import { startThread } from '../../../thread.js';
import type { AcceptOutcome } from '../batchPlan.js';
import type { AcceptStore } from './acceptStore.js';
import type { AcceptReply, AcceptRequest } from './sqliteAcceptMessages.js';

interface Pending {
  resolve(outcomes: AcceptOutcome[]): void;
  reject(error: Error): void;
}

export function sqliteAcceptStore(path: string): AcceptStore {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let thread: Worker | null = null;

  // A thread that dies (it cannot open the file, say) fails the batches in flight, which are
  // answered 503 and retried by their senders; the next batch starts a new thread.
  const failAll = (error: Error) => {
    thread = null;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  const start = () => {
    const worker = startThread(new URL('./sqliteAcceptThread.ts', import.meta.url), { workerData: { path }, external: ['better-sqlite3'] });
    worker.on('message', (reply: AcceptReply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if ('outcomes' in reply) waiting?.resolve(reply.outcomes);
      else waiting?.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    });
    worker.on('error', (error) => failAll(error));
    worker.on('exit', (code) => {
      if (thread === worker) failAll(new Error(`the SQLite accept thread exited (code ${code})`));
    });
    return worker;
  };
  thread = start();

  const send = (request: AcceptRequest) => {
    thread ??= start();
    thread.postMessage(request);
  };

  return {
    // Two: the thread commits one batch while the next is on its way to it, instead of waiting for
    // the request thread to hear of each commit first (half of every commit's round trip at one
    // alert per request; BENCHMARKS.md). For that, ingest's batches share one write turn (its team).
    batchesInFlight: 2,
    commit: (batch, now, repeatWindowMs) =>
      // Herald's planner writes to the same file: the two take turns rather than meet at the lock.
      inWriteTurn(
        path,
        () => {
          const id = nextId++;
          return new Promise<AcceptOutcome[]>((resolve, reject) => {
            pending.set(id, { resolve, reject });
            send({ kind: 'commit', id, batch, now: now.getTime(), repeatWindowMs });
          });
        },
        { team: 'ingest' },
      ),
    close: async () => {
      const worker = thread;
      thread = null;
      if (!worker) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage({ kind: 'close' } satisfies AcceptRequest);
      await exited;
    },
  };
}
