// Channels are claimed for delivery with a lease: while one Herald process holds a channel, no
// other sends to it, so its messages go out in order and its pacing (Channel.nextSendAt) holds
// across processes. On PostgreSQL the claim skips rows another process is claiming at the same
// moment (FOR UPDATE SKIP LOCKED); SQLite has one writer at a time, so its claim cannot race.
// A live process renews the leases of the channels it is sending to (the worker's heartbeat), so a
// slow call is never taken over; a process that dies loses its leases when they expire (15 s by
// default), and another process takes over.
import type { Database } from '../db/database.js';

/** Claims up to `limit` channels that are due and have calls waiting; `only` restricts it to one channel. */
export async function claimChannels(database: Database, owner: string, now: Date, leaseMs: number, limit: number, only?: string): Promise<string[]> {
  if (limit <= 0) return [];
  const until = new Date(now.getTime() + leaseMs);
  const postgres = database.provider === 'postgresql';
  // PostgreSQL numbers its parameters; SQLite's `?` are bound in order, so `now` is passed twice.
  const [owner_, until_, now1, now2, only_] = postgres ? ['$1', '$2', '$3', '$3', '$4'] : ['?', '?', '?', '?', '?'];
  const rows = await database.prisma.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "Channel" SET "leaseOwner" = ${owner_}, "leaseUntil" = ${until_}
     WHERE "id" IN (
       SELECT c."id" FROM "Channel" c
       WHERE c."nextSendAt" <= ${now1} AND c."brokenAt" IS NULL
         AND (c."leaseUntil" IS NULL OR c."leaseUntil" <= ${now2})
         ${only === undefined ? '' : `AND c."id" = ${only_}`}
         AND EXISTS (SELECT 1 FROM "OutboxMessage" o WHERE o."channelRowId" = c."id" AND o."deadAt" IS NULL)
       ORDER BY c."nextSendAt"
       LIMIT ${Math.floor(limit)}
       ${postgres ? 'FOR UPDATE SKIP LOCKED' : ''}
     )
     RETURNING "id"`,
    ...(postgres ? [owner, until, now] : [owner, until, now, now]),
    ...(only === undefined ? [] : [only]),
  );
  return rows.map((row) => row.id);
}
