// What a batch of accepted payloads stores, decided from the digests already known: pure, so the
// stores only do the database work. The SQLite store reads the known digests and plans with
// planBatch; PostgreSQL's decides repeats within its one statement and shares the rule for copies
// within a batch (repeatsWithinBatch).
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
  const repeats = repeatsWithinBatch(batch);
  const digests: BatchPlan['digests'] = [];
  const rows: IncomingAlertRow[] = [];
  const outcomes = batch.map(({ installationId, digest, rows: alerts }, i) => {
    const seenAt = lastSeen.get(digestKey(installationId, digest));
    if (repeats[i] || (seenAt !== undefined && seenAt > cutoff)) return repeated(alerts.length);
    digests.push({ installationId, digest });
    for (const row of alerts) rows.push(row); // a loop: a spread of 10,000 arguments is near engine limits
    return stored(alerts.length);
  });
  return { outcomes, digests, rows };
}

/** For each payload, whether an earlier payload of the same batch has its digest: then it repeats that one. */
export function repeatsWithinBatch(batch: readonly Acceptance[]): boolean[] {
  const seen = new Set<string>();
  return batch.map(({ installationId, digest }) => {
    const key = digestKey(installationId, digest);
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  });
}

export const stored = (alerts: number): AcceptOutcome => ({ accepted: alerts, duplicates: 0 });
export const repeated = (alerts: number): AcceptOutcome => ({ accepted: 0, duplicates: alerts });
