// What ingest's thread and the SQLite accept thread say to each other.
import type { Acceptance, AcceptOutcome } from '../batchPlan.js';

export type AcceptRequest =
  | { kind: 'commit'; id: number; batch: readonly Acceptance[]; now: number; repeatWindowMs: number }
  | { kind: 'close' };

export type AcceptReply =
  | { id: number; outcomes: AcceptOutcome[] }
  /** The transaction failed and was rolled back; `code` is SQLite's (SQLITE_BUSY, …). */
  | { id: number; error: { message: string; code?: string } };
