// Payload digests are only needed within the repeat window; older ones are deleted now and then so
// the table stays the size of a window's traffic.
import type { Db } from '../../db/database.js';
import type { Logger } from '../../log.js';

export const DIGEST_PRUNE_INTERVAL_MS = 15 * 60 * 1000;

/** Starts pruning; returns the function that stops it. */
export function startDigestPruning(deps: { db: Db; log: Logger; repeatWindowMs: number }, intervalMs = DIGEST_PRUNE_INTERVAL_MS): () => void {
  const prune = async () => {
    try {
      await deps.db.payloadDigest.deleteMany({ where: { lastSeenAt: { lt: new Date(Date.now() - deps.repeatWindowMs) } } });
    } catch (error) {
      deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not prune old payload digests; will retry');
    }
  };
  const timer = setInterval(() => void prune(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
