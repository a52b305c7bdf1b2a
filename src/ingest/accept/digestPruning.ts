// Payload digests are only needed within the repeat window; older ones are deleted now and then so
// the table stays the size of a window's traffic.
import type { Db } from '../../db/database.js';
import type { Logger } from '../../log.js';
import { runPeriodically } from '../../periodic.js';

export const DIGEST_PRUNE_INTERVAL_MS = 15 * 60 * 1000;

/** Starts pruning; returns the function that stops it, resolving once a prune in progress has ended. */
export function startDigestPruning(deps: { db: Db; log: Logger; repeatWindowMs: number }, intervalMs = DIGEST_PRUNE_INTERVAL_MS): () => Promise<void> {
  return runPeriodically({
    what: 'prune old payload digests',
    firstAfterMs: intervalMs,
    everyMs: intervalMs,
    log: deps.log,
    work: async () => void (await deps.db.payloadDigest.deleteMany({ where: { lastSeenAt: { lt: new Date(Date.now() - deps.repeatWindowMs) } } })),
  });
}
