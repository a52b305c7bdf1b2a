// Where accepted payloads are committed. The hot path of ingest, so it talks to the database
// driver directly with prepared, multi-row statements: through Prisma, most of the CPU went into
// building queries rather than storing alerts (see BENCHMARKS.md).
import type { Acceptance, AcceptOutcome } from '../batchPlan.js';

export interface AcceptStore {
  /**
   * Commits `batch` in one transaction and returns each payload's outcome, in order. Throws if the
   * transaction fails: then nothing of the batch is stored.
   */
  commit(batch: readonly Acceptance[], now: Date, repeatWindowMs: number): Promise<AcceptOutcome[]>;
  /** How many batches group commit hands over at once, committing one while the next is on its way. */
  readonly batchesInFlight: number;
  close(): Promise<void>;
}
