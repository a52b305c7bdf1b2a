// The thread that commits ingest's batches into SQLite (see sqliteAcceptStore.ts): one connection
// of its own, statements prepared once, a whole batch in one IMMEDIATE transaction, so each commit
// costs one WAL write and fsync however many payloads it holds. The driver blocks while it commits
// and waits for the disk; here that blocks this thread only, not the one answering requests.
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteConnection } from '../../../db/sqliteConnection.js';
import { sqliteTime } from '../../../db/sqliteTime.js';
import { digestKey, planBatch, type Acceptance } from '../batchPlan.js';
import { INCOMING_ALERT_COLUMNS, type IncomingAlertRow } from '../rows.js';
import type { AcceptReply, AcceptRequest } from './sqliteAcceptMessages.js';

const quoted = (name: string) => `"${name}"`;

/** How long a commit waits for SQLite's write lock (another process's writer) before the batch fails (503, retry). */
const LOCK_WAIT_MS = 10_000;

const { path } = workerData as { path: string };
// 'durable': a 202 waits for the disk. Waiting for the lock blocks this thread only, so the
// driver's own busy timeout does it.
const db = openSqliteConnection(path, 'durable', { timeout: LOCK_WAIT_MS });
const findDigest = db.prepare<[string, string], { lastSeenAt: string }>('SELECT "lastSeenAt" FROM "PayloadDigest" WHERE "installationId" = ? AND "digest" = ?');
const upsertDigest = db.prepare<[string, string, string]>(
  'INSERT INTO "PayloadDigest" ("installationId", "digest", "lastSeenAt") VALUES (?, ?, ?) ON CONFLICT ("installationId", "digest") DO UPDATE SET "lastSeenAt" = excluded."lastSeenAt"',
);
const insertAlert = db.prepare(`INSERT INTO "IncomingAlert" (${INCOMING_ALERT_COLUMNS.map(quoted).join(', ')}) VALUES (${INCOMING_ALERT_COLUMNS.map(() => '?').join(', ')})`);

// Checkpoints run here, off the thread that answers requests (sqliteConnection.ts); also when no
// alerts come, for what delivery wrote. PASSIVE: it copies what no reader still needs and never
// waits for, or blocks, a writer.
const CHECKPOINT_EVERY_MS = 1_000;
const checkpoints = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // The next one copies what this one could not; the autocheckpoint marks bound the WAL meanwhile.
  }
}, CHECKPOINT_EVERY_MS);
checkpoints.unref();

const values = (row: IncomingAlertRow) =>
  INCOMING_ALERT_COLUMNS.map((column) => {
    const value = row[column];
    return value instanceof Date ? sqliteTime(value) : value;
  });

const commit = db.transaction((batch: readonly Acceptance[], now: Date, repeatWindowMs: number) => {
  const lastSeen = new Map<string, number>();
  for (const { installationId, digest } of batch) {
    const known = findDigest.get(installationId, digest);
    if (known) lastSeen.set(digestKey(installationId, digest), Date.parse(known.lastSeenAt));
  }
  const plan = planBatch(batch, lastSeen, now, repeatWindowMs);
  const seenAt = sqliteTime(now);
  for (const { installationId, digest } of plan.digests) upsertDigest.run(installationId, digest, seenAt);
  for (const row of plan.rows) insertAlert.run(values(row));
  return plan.outcomes;
});

const port = parentPort;
if (!port) throw new Error('sqliteAcceptThread runs as a worker thread');
port.on('message', (request: AcceptRequest) => {
  if (request.kind === 'close') {
    clearInterval(checkpoints);
    db.close();
    port.close(); // the thread ends once nothing else holds it open
    return;
  }
  let reply: AcceptReply;
  try {
    reply = { id: request.id, outcomes: commit.immediate(request.batch, new Date(request.now), request.repeatWindowMs) };
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    reply = { id: request.id, error: { message: message ?? String(error), code } };
  }
  port.postMessage(reply);
});
