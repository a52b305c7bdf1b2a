// Ingest's SQLite commit, run on the SQLite writer thread (src/db/sqliteWriter): statements
// prepared once, a whole batch in one IMMEDIATE transaction, so each commit costs one WAL write and
// fsync however many payloads it holds. The driver blocks while it commits and waits for the disk;
// there that blocks the writer thread only, not the one answering requests.
import type BetterSqlite3 from 'better-sqlite3';
import { sqliteTime } from '../../../db/sqliteTime.js';
import { digestKey, planBatch, type Acceptance, type AcceptOutcome } from '../batchPlan.js';
import { INCOMING_ALERT_COLUMNS, type IncomingAlertRow } from '../rows.js';

const quoted = (name: string) => `"${name}"`;

const values = (row: IncomingAlertRow) =>
  INCOMING_ALERT_COLUMNS.map((column) => {
    const value = row[column];
    return value instanceof Date ? sqliteTime(value) : value;
  });

/** Commits batches on `db`, a `durable` connection (a 202 waits for the disk): the outcome of each payload, in order. */
export function sqliteAcceptCommit(db: BetterSqlite3.Database): (batch: readonly Acceptance[], now: Date, repeatWindowMs: number) => AcceptOutcome[] {
  const findDigest = db.prepare<[string, string], { lastSeenAt: string }>('SELECT "lastSeenAt" FROM "PayloadDigest" WHERE "installationId" = ? AND "digest" = ?');
  const upsertDigest = db.prepare<[string, string, string]>(
    'INSERT INTO "PayloadDigest" ("installationId", "digest", "lastSeenAt") VALUES (?, ?, ?) ON CONFLICT ("installationId", "digest") DO UPDATE SET "lastSeenAt" = excluded."lastSeenAt"',
  );
  const insertAlert = db.prepare(`INSERT INTO "IncomingAlert" (${INCOMING_ALERT_COLUMNS.map(quoted).join(', ')}) VALUES (${INCOMING_ALERT_COLUMNS.map(() => '?').join(', ')})`);

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
  return (batch, now, repeatWindowMs) => commit.immediate(batch, now, repeatWindowMs);
}
