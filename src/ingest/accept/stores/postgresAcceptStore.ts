// Accepted payloads into PostgreSQL through node-postgres: per batch ONE statement, whatever its
// size, in one round trip. Its first part upserts the batch's digests and returns those it stored
// (new, or seen longer ago than the repeat window); its second inserts every alert row of those
// payloads from unnest(arrays), one array per column. A single statement is a transaction of its
// own, so there is no BEGIN and COMMIT to wait for: on two busy cores each round trip waits for
// the server's process to be scheduled, and the five of a BEGIN … COMMIT transaction made the
// 100-alert commit's tail 40–80 ms (BENCHMARKS.md).
//
// The repeat check is the upsert's own WHERE, under the row lock ON CONFLICT takes: a digest
// another Herald process stores at the same moment makes this one a repeat, never a second copy.
import type pg from 'pg';
import { digestKey, repeated, repeatsWithinBatch, stored, type Acceptance } from '../batchPlan.js';
import { INCOMING_ALERT_COLUMNS } from '../rows.js';
import type { AcceptStore } from './acceptStore.js';

/** timestamp(3) columns hold UTC without a zone (as Prisma writes them): pass them that way. */
const pgTime = (date: Date | null): string | null => (date === null ? null : date.toISOString().replace('T', ' ').replace('Z', ''));

const ALERT_TYPES: Record<(typeof INCOMING_ALERT_COLUMNS)[number], string> = {
  id: 'text', installationId: 'text', source: 'text', fingerprint: 'text', groupKey: 'text', status: 'text', severity: 'text',
  title: 'text', text: 'text', labels: 'text', annotations: 'text', links: 'text', slack: 'text', startsAt: 'timestamp(3)',
  endsAt: 'timestamp(3)', externalUrl: 'text', tokenId: 'text', receivedAt: 'timestamp(3)',
};

const quoted = INCOMING_ALERT_COLUMNS.map((column) => `"${column}"`).join(', ');
/** $1 installation and $2 digest of each payload, $3 now, $4 the repeat window's start; then one array per alert column and the digest of each row. */
const ROW_PARAMS = INCOMING_ALERT_COLUMNS.map((column, i) => `$${i + 5}::${ALERT_TYPES[column]}[]`).join(', ');
const ACCEPT = `WITH claimed AS (
    INSERT INTO "PayloadDigest" ("installationId", "digest", "lastSeenAt")
    SELECT i, d, $3::timestamp(3) FROM unnest($1::text[], $2::text[]) AS t(i, d)
    ON CONFLICT ("installationId", "digest") DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt"
      WHERE "PayloadDigest"."lastSeenAt" <= $4::timestamp(3)
    RETURNING "installationId", "digest"
  ), alerts AS (
    INSERT INTO "IncomingAlert" (${quoted})
    SELECT ${quoted} FROM unnest(${ROW_PARAMS}, $${INCOMING_ALERT_COLUMNS.length + 5}::text[]) AS r(${quoted}, "digest")
    WHERE ("installationId", "digest") IN (SELECT "installationId", "digest" FROM claimed)
  )
  SELECT "installationId", "digest" FROM claimed`;

export function postgresAcceptStore(pool: pg.Pool): AcceptStore {
  return {
    // One: two statements at once, beside the planner's, put the p99 of 100-alert requests at half
    // the peak at 201–246 ms where one at a time gave 77–138 (alternated runs, BENCHMARKS.md).
    batchesInFlight: 1,
    commit: async (batch, now, repeatWindowMs) => {
      // ON CONFLICT cannot touch one row twice in a statement, so a payload repeated within the
      // batch is left out of it: it is a repeat of its first copy whatever the database says.
      const repeats = repeatsWithinBatch(batch);
      const candidates = batch.filter((_, i) => !repeats[i]);
      const { rows: claimed } = await pool.query<{ installationId: string; digest: string }>(ACCEPT, acceptParams(candidates, now, repeatWindowMs));
      const storedKeys = new Set(claimed.map((row) => digestKey(row.installationId, row.digest)));
      return batch.map(({ installationId, digest, rows }, i) =>
        !repeats[i] && storedKeys.has(digestKey(installationId, digest)) ? stored(rows.length) : repeated(rows.length),
      );
    },
    close: async () => undefined, // the pool belongs to the database, which closes it
  };
}

function acceptParams(payloads: readonly Acceptance[], now: Date, repeatWindowMs: number): unknown[] {
  const rows = payloads.flatMap((payload) => payload.rows.map((row) => ({ row, digest: payload.digest })));
  const columns = INCOMING_ALERT_COLUMNS.map((column) =>
    rows.map(({ row }) => {
      const value = row[column];
      return value instanceof Date ? pgTime(value) : value;
    }),
  );
  return [
    payloads.map((payload) => payload.installationId),
    payloads.map((payload) => payload.digest),
    pgTime(now),
    pgTime(new Date(now.getTime() - repeatWindowMs)),
    ...columns,
    rows.map(({ digest }) => digest),
  ];
}
