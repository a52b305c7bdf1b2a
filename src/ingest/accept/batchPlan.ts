// What a batch of accepted payloads stores, decided from the digests already known: pure, so the
// SQLite and PostgreSQL stores share it and only do the database work.
import type { IncomingAlertRow } from './rows.js';

/** A payload ready to store: its digest and its rows, computed before the batch is formed. */
export interface Acceptance {
  installationId: string;
  digest: string;
  rows: IncomingAlertRow[];
}

export interface AcceptOutcome {
  accepted: number;
  duplicates: number;
}

export interface BatchPlan {
  outcomes: AcceptOutcome[];
  /** Digests to insert, or to refresh when an expired one is stored already. */
  digests: { installationId: string; digest: string }[];
  rows: IncomingAlertRow[];
}

export const digestKey = (installationId: string, digest: string): string => `${installationId}\n${digest}`;

/**
 * A payload whose digest was stored within `repeatWindowMs` before `now` (`lastSeen`, by
 * digestKey), or that repeats an earlier payload of the same batch, is all duplicates and stores
 * nothing; every other payload stores its rows and its digest.
 */
export function planBatch(batch: readonly Acceptance[], lastSeen: ReadonlyMap<string, number>, now: Date, repeatWindowMs: number): BatchPlan {
  const cutoff = now.getTime() - repeatWindowMs;
  const claimed = new Set<string>();
  const digests: BatchPlan['digests'] = [];
  const rows: IncomingAlertRow[] = [];
  const outcomes = batch.map(({ installationId, digest, rows: alerts }) => {
    const key = digestKey(installationId, digest);
    const seenAt = lastSeen.get(key);
    if (claimed.has(key) || (seenAt !== undefined && seenAt > cutoff)) return { accepted: 0, duplicates: alerts.length };
    claimed.add(key);
    digests.push({ installationId, digest });
    for (const row of alerts) rows.push(row); // a loop: a spread of 10,000 arguments is near engine limits
    return { accepted: alerts.length, duplicates: 0 };
  });
  return { outcomes, digests, rows };
}
