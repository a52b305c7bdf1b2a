// Accepted payloads into SQLite through better-sqlite3: one connection of its own (WAL lets the
// rest of Herald read meanwhile), statements prepared once, a whole batch in one IMMEDIATE
// transaction, so each commit costs one WAL write and fsync however many payloads it holds.
import { openSqliteConnection } from '../../../db/sqliteConnection.js';
import { sqliteTime } from '../../../db/sqliteTime.js';
import { digestKey, planBatch, type Acceptance } from '../batchPlan.js';
import { INCOMING_ALERT_COLUMNS, type IncomingAlertRow } from '../rows.js';
import type { AcceptStore } from './acceptStore.js';


const quoted = (name: string) => `"${name}"`;

/** How long a commit keeps trying to get SQLite's write lock before the batch fails (503, retry). */
const LOCK_WAIT_MS = 10_000;

export function sqliteAcceptStore(path: string): AcceptStore {
  // No busy timeout: better-sqlite3 would wait for the lock with the whole thread blocked, and the
  // lock may be held by Herald's own Prisma connection, whose transaction needs this thread to
  // finish. Waiting is done below, between event-loop turns.
  // 'durable': a 202 waits for the disk.
  const db = openSqliteConnection(path, 'durable', { timeout: 0 });
  const findDigest = db.prepare<[string, string], { lastSeenAt: string }>('SELECT "lastSeenAt" FROM "PayloadDigest" WHERE "installationId" = ? AND "digest" = ?');
  const upsertDigest = db.prepare<[string, string, string]>(
    'INSERT INTO "PayloadDigest" ("installationId", "digest", "lastSeenAt") VALUES (?, ?, ?) ON CONFLICT ("installationId", "digest") DO UPDATE SET "lastSeenAt" = excluded."lastSeenAt"',
  );
  const insertAlert = db.prepare(`INSERT INTO "IncomingAlert" (${INCOMING_ALERT_COLUMNS.map(quoted).join(', ')}) VALUES (${INCOMING_ALERT_COLUMNS.map(() => '?').join(', ')})`);

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

  return {
    // Synchronous under the hood: the driver blocks for the commit, which is the fsync the sender waits for anyway.
    async commit(batch, now, repeatWindowMs) {
      const giveUpAt = Date.now() + LOCK_WAIT_MS;
      for (let attempt = 0; ; attempt++) {
        try {
          return commit.immediate(batch, now, repeatWindowMs);
        } catch (error) {
          if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= giveUpAt) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.min(20, 1 + attempt)));
        }
      }
    },
    close: async () => void db.close(),
  };
}
