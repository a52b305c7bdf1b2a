// Builds the ingest endpoint once at start-up (token directory, rate limiter, last-used recorder,
// group commit, digest pruning) and stops it in order at shutdown.
import type { RequestListener } from 'node:http';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../observability/metrics.js';
import type { SecretBox } from '../../security/secretBox.js';
import { REPEAT_WINDOW_MS } from '../accept/digest.js';
import { startDigestPruning } from '../accept/digestPruning.js';
import { GroupCommit } from '../accept/groupCommit.js';
import { openAcceptStore } from '../accept/stores/index.js';
import { clientAddressResolver } from '../auth/clientAddress.js';
import { TokenDirectory } from '../auth/tokenDirectory.js';
import { LastUsedRecorder } from '../lastUsed.js';
import { RateLimiter } from '../rateLimit.js';
import { ingestHandler } from './handler.js';

export interface IngestEndpoint {
  handle: RequestListener;
  lastUsed: LastUsedRecorder;
  /** Call after the HTTP server stopped taking requests: commits what is queued, writes last-used times. */
  close(): Promise<void>;
}

export function createIngestEndpoint(deps: {
  config: Config;
  database: Database;
  box: SecretBox;
  log: Logger;
  metrics: Metrics;
  /** Called after alerts were committed, with how many: delivery wakes up. */
  onAccepted?: (alerts: number) => void;
}): IngestEndpoint {
  const { config, database, box, metrics } = deps;
  const db = database.prisma;
  const store = openAcceptStore(database);
  const log = deps.log.child({ component: 'ingest' });
  const accept = new GroupCommit({ store, log, repeatWindowMs: REPEAT_WINDOW_MS, onCommitted: deps.onAccepted });
  const lastUsed = new LastUsedRecorder(db, log);
  const stopPruning = startDigestPruning({ db, log, repeatWindowMs: REPEAT_WINDOW_MS });
  const handle = ingestHandler({
    tokens: new TokenDirectory({ db, box, log }),
    clientAddress: clientAddressResolver(config.trustProxy),
    rateLimiter: new RateLimiter(config.ingest.rateLimit),
    lastUsed,
    accept,
    log,
    metrics,
  });
  return {
    handle,
    lastUsed,
    close: async () => {
      await stopPruning();
      await accept.close();
      await store.close();
      await lastUsed.close();
    },
  };
}
