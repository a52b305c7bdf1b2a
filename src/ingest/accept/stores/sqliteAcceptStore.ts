// Accepted payloads into SQLite, committed on the SQLite writer thread (src/db/sqliteWriter,
// sqliteAcceptCommit.ts). better-sqlite3 is synchronous: committing on the thread that answers
// requests blocked it for every commit's WAL write, fsync and checkpoint (about a quarter of its
// time under load, measured with --cpu-prof; see BENCHMARKS.md). Here that thread only hands
// batches over and waits.
import type { SqliteWriter } from '../../../db/sqliteWriter/client.js';
import type { AcceptStore } from './acceptStore.js';

export function sqliteAcceptStore(writer: SqliteWriter): AcceptStore {
  return {
    // Two: the thread commits one batch while the next is on its way to it, instead of waiting for
    // the request thread to hear of each commit first (half of every commit's round trip at one
    // alert per request; BENCHMARKS.md). For that, ingest's batches share one write turn (client.ts).
    batchesInFlight: 2,
    // Herald's planner writes to the same file: the two take turns rather than meet at the lock. A
    // thread that dies fails the batches in flight, which are answered 503 and retried by their
    // senders; the next batch starts a new thread.
    commit: (batch, now, repeatWindowMs) => writer.accept(batch, now, repeatWindowMs),
    close: async () => undefined, // the writer belongs to the Database, which closes it last
  };
}
