// When each ingest token was last used, for `/herald token list`. Writing it on every request would
// double the database writes of ingestion, so uses are collected in memory and written in one
// transaction every few seconds, and once more when Herald stops.
import type { Db } from '../db/database.js';
import type { Logger } from '../log.js';

export const LAST_USED_FLUSH_INTERVAL_MS = 10_000;

export class LastUsedRecorder {
  #pending = new Map<string, Date>();
  #flushing: Promise<void> = Promise.resolve();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    intervalMs = LAST_USED_FLUSH_INTERVAL_MS,
  ) {
    this.#timer = setInterval(() => void this.flush(), intervalMs);
    this.#timer.unref(); // never what keeps the process alive
  }

  touch(tokenId: string, at: Date): void {
    this.#pending.set(tokenId, at);
  }

  /** Writes the collected times; one flush at a time, so a slow database never sees them pile up. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#write());
    return this.#flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  async #write(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    try {
      await this.db.$transaction(
        [...batch].map(([id, at]) =>
          // Only forwards: another Herald process sharing the database may have written a later time.
          this.db.ingestToken.updateMany({ where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] }, data: { lastUsedAt: at } }),
        ),
      );
    } catch (error) {
      this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not record when ingest tokens were last used; will retry');
      for (const [id, at] of batch) if (!this.#pending.has(id)) this.#pending.set(id, at);
    }
  }
}
