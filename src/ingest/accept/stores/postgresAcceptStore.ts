// Accepted payloads into PostgreSQL through node-postgres: per batch one transaction of three
// statements, whatever its size: the known digests, the digests upserted, and every alert row in
// one INSERT … SELECT FROM unnest(arrays), one array per column.
import type pg from 'pg';
import { inPgTransaction } from '../../../db/sql.js';
import { digestKey, planBatch } from '../batchPlan.js';
import { INCOMING_ALERT_COLUMNS } from '../rows.js';
import type { AcceptStore } from './acceptStore.js';

/** timestamp(3) columns hold UTC without a zone (as Prisma writes them): pass them that way. */
const pgTime = (date: Date | null): string | null => (date === null ? null : date.toISOString().replace('T', ' ').replace('Z', ''));

const ALERT_TYPES: Record<(typeof INCOMING_ALERT_COLUMNS)[number], string> = {
  id: 'text', installationId: 'text', source: 'text', fingerprint: 'text', groupKey: 'text', status: 'text', severity: 'text',
  title: 'text', text: 'text', labels: 'text', annotations: 'text', links: 'text', slack: 'text', startsAt: 'timestamp(3)',
  endsAt: 'timestamp(3)', externalUrl: 'text', tokenId: 'text', receivedAt: 'timestamp(3)',
};

const INSERT_ALERTS = `INSERT INTO "IncomingAlert" (${INCOMING_ALERT_COLUMNS.map((c) => `"${c}"`).join(', ')})
  SELECT * FROM unnest(${INCOMING_ALERT_COLUMNS.map((c, i) => `$${i + 1}::${ALERT_TYPES[c]}[]`).join(', ')})`;

export function postgresAcceptStore(pool: pg.Pool): AcceptStore {
  return {
    commit: (batch, now, repeatWindowMs) =>
      inPgTransaction(pool, async (client) => {
        const known = await client.query<{ installationId: string; digest: string; lastSeenAt: Date }>(
          'SELECT "installationId", "digest", "lastSeenAt" FROM "PayloadDigest" WHERE "installationId" = ANY($1::text[]) AND "digest" = ANY($2::text[])',
          [[...new Set(batch.map((a) => a.installationId))], [...new Set(batch.map((a) => a.digest))]],
        );
        // node-postgres reads a zone-less timestamp as local time; Herald's are UTC.
        const lastSeen = new Map(known.rows.map((row) => [digestKey(row.installationId, row.digest), utcMillis(row.lastSeenAt)]));
        const plan = planBatch(batch, lastSeen, now, repeatWindowMs);
        if (plan.digests.length > 0) {
          await client.query(
            `INSERT INTO "PayloadDigest" ("installationId", "digest", "lastSeenAt") SELECT i, d, $3::timestamp(3) FROM unnest($1::text[], $2::text[]) AS t(i, d)
             ON CONFLICT ("installationId", "digest") DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt"`,
            [plan.digests.map((d) => d.installationId), plan.digests.map((d) => d.digest), pgTime(now)],
          );
        }
        if (plan.rows.length > 0) {
          const columns = INCOMING_ALERT_COLUMNS.map((column) => plan.rows.map((row) => {
            const value = row[column];
            return value instanceof Date ? pgTime(value) : value;
          }));
          await client.query(INSERT_ALERTS, columns);
        }
        return plan.outcomes;
      }),
    close: async () => undefined, // the pool belongs to the database, which closes it
  };
}

function utcMillis(local: Date): number {
  return local.getTime() - local.getTimezoneOffset() * 60_000;
}
