// The Prisma transaction client type, and the limits delivery's transactions run under.
import type { Prisma } from '../db/database.js';

export type Tx = Prisma.TransactionClient;

// A storm's first batch can touch thousands of rows; on a slow disk that exceeds Prisma's 5 s default.
export const DELIVERY_TRANSACTION = { maxWait: 10_000, timeout: 60_000 };
