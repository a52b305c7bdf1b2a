// Group commit: the requests whose bodies finished in the same event-loop turn are committed in one
// transaction, and each sender is answered only after that commit. One fsync (SQLite) or one round
// of statements (PostgreSQL) then serves many requests, instead of one each.
//
// As many batches are in flight as the store commits to good effect (AcceptStore.batchesInFlight);
// requests arriving while they are form the next batch, so batches grow with load instead of
// transactions queueing up behind each other.
import type { Logger } from '../../log.js';
import type { Acceptance, AcceptOutcome } from './batchPlan.js';
import type { AcceptStore } from './stores/index.js';

interface Waiting {
  acceptance: Acceptance;
  resolve(outcome: AcceptOutcome): void;
  reject(error: unknown): void;
}

export class HeraldStopping extends Error {
  constructor() {
    super('Herald is stopping');
    this.name = 'HeraldStopping';
  }
}

export class GroupCommit {
  #queue: Waiting[] = [];
  #scheduled = false;
  #inFlight = new Set<Promise<void>>();
  #closed = false;

  constructor(
    private readonly deps: { store: AcceptStore; log: Logger; repeatWindowMs: number; now?: () => Date; onCommitted?: (alerts: number) => void },
  ) {}

  /** Resolves once the payload is committed (or recognised as a repeat); rejects if the database fails. */
  submit(acceptance: Acceptance): Promise<AcceptOutcome> {
    if (this.#closed) return Promise.reject(new HeraldStopping());
    return new Promise((resolve, reject) => {
      this.#queue.push({ acceptance, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // setImmediate runs after the current poll phase: every request body that completed in
        // this turn is queued by then.
        setImmediate(() => {
          this.#scheduled = false;
          this.#start();
        });
      }
    });
  }

  /** Refuses new payloads and waits for the queued ones to be committed. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#start();
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  /** Starts batches while fewer than the store's batchesInFlight are committing; each that ends starts the next. */
  #start(): void {
    while (this.#inFlight.size < this.deps.store.batchesInFlight && this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      const committing: Promise<void> = this.#commit(batch).finally(() => {
        this.#inFlight.delete(committing);
        this.#start();
      });
      this.#inFlight.add(committing);
    }
  }

  async #commit(batch: Waiting[]): Promise<void> {
    await this.#commitBatch(batch);
    // Delivery starts on the new alerts without waiting for its next poll. (Repeats are counted too:
    // the count only sizes delivery's next batch.)
    this.deps.onCommitted?.(batch.reduce((alerts, waiting) => alerts + waiting.acceptance.rows.length, 0));
  }

  async #commitBatch(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.deps.store.commit(batch.map((w) => w.acceptance), this.#now(), this.deps.repeatWindowMs);
      batch.forEach((waiting, i) => waiting.resolve(outcomes[i] as AcceptOutcome));
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      this.deps.log.warn({ err: error instanceof Error ? error.message : String(error), size: batch.length }, 'batch commit failed; committing its payloads one by one');
    }
    // One by one, so one payload the database refuses does not fail the others; each is answered
    // by its own outcome.
    for (const waiting of batch) {
      try {
        const [outcome] = await this.deps.store.commit([waiting.acceptance], this.#now(), this.deps.repeatWindowMs);
        waiting.resolve(outcome as AcceptOutcome);
      } catch (error) {
        waiting.reject(error);
      }
    }
  }

  #now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
