// One transaction for a batch of accepted payloads: recognise repeats by their digests, remember
// the new digests, insert the new alerts. A handful of statements per batch, however many payloads
// it holds, which is what lets a durable commit keep up with many senders.
import type { Db, Prisma } from '../../db/database.js';

/** A payload ready to store: its digest and its rows, computed before the batch is formed. */
export interface Acceptance {
  installationId: string;
  digest: string;
  rows: Prisma.IncomingAlertCreateManyInput[];
}

export interface AcceptOutcome {
  accepted: number;
  duplicates: number;
}

// Large batches on a slow disk can exceed Prisma's default 5 s; a sender waits for this anyway.
const TRANSACTION_LIMITS = { maxWait: 10_000, timeout: 30_000 };

const keyOf = (installationId: string, digest: string) => `${installationId}\n${digest}`;
const unique = <T>(values: T[]) => [...new Set(values)];

/**
 * Commits `batch` in one transaction and returns each payload's outcome, in order. A payload whose
 * digest was stored within `repeatWindowMs` before `now`, or that repeats an earlier payload of
 * the same batch, is all duplicates and stores nothing. Throws if the transaction fails: then
 * nothing of the batch is stored.
 */
export async function commitBatch(db: Db, batch: readonly Acceptance[], now: Date, repeatWindowMs: number): Promise<AcceptOutcome[]> {
  return db.$transaction(async (tx) => {
    // Both columns of the primary key are constrained, so the lookup uses its index.
    const known = await tx.payloadDigest.findMany({
      where: { installationId: { in: unique(batch.map((a) => a.installationId)) }, digest: { in: unique(batch.map((a) => a.digest)) } },
    });
    const lastSeen = new Map(known.map((row) => [keyOf(row.installationId, row.digest), row.lastSeenAt.getTime()]));
    const cutoff = now.getTime() - repeatWindowMs;
    const claimed = new Set<string>();
    const expired: Prisma.PayloadDigestWhereInput[] = [];
    const digests: Prisma.PayloadDigestCreateManyInput[] = [];
    const rows: Prisma.IncomingAlertCreateManyInput[] = [];

    const outcomes = batch.map(({ installationId, digest, rows: alerts }) => {
      const key = keyOf(installationId, digest);
      const seenAt = lastSeen.get(key);
      if (claimed.has(key) || (seenAt !== undefined && seenAt > cutoff)) return { accepted: 0, duplicates: alerts.length };
      claimed.add(key);
      // An expired digest is replaced rather than updated: one statement for all of them.
      if (seenAt !== undefined) expired.push({ installationId, digest });
      digests.push({ installationId, digest, lastSeenAt: now });
      for (const row of alerts) rows.push(row); // a loop: a spread of 10,000 arguments is near engine limits
      return { accepted: alerts.length, duplicates: 0 };
    });

    if (expired.length > 0) await tx.payloadDigest.deleteMany({ where: { OR: expired } });
    if (digests.length > 0) await tx.payloadDigest.createMany({ data: digests });
    if (rows.length > 0) await tx.incomingAlert.createMany({ data: rows });
    return outcomes;
  }, TRANSACTION_LIMITS);
}
