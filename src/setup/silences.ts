// Herald-side silences as people manage them: create, list the active ones, expire. The matching
// itself is in src/alerts/silences.ts.
import type { Db } from '../db/database.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';

/** How much of a silence's id people see and type: enough to be unique among active silences. */
export const SHORT_ID_LENGTH = 8;
export const shortId = (id: string): string => id.slice(0, SHORT_ID_LENGTH);

export async function createSilence(
  db: Db,
  actor: Actor,
  silence: { matchers: string; comment: string; startsAt: Date; endsAt: Date },
) {
  const row = await db.silence.create({ data: { installationId: actor.installationId, createdBy: actor.userId, ...silence } });
  await recordAudit(db, actor, 'silence.create', `${shortId(row.id)} ${silence.matchers} until ${silence.endsAt.toISOString()}${silence.comment ? `: ${silence.comment}` : ''}`);
  return row;
}

/** Silences in force at `now`, ending soonest first. */
export function activeSilences(db: Db, installationId: string, now: Date) {
  return db.silence.findMany({ where: { installationId, startsAt: { lte: now }, endsAt: { gt: now } }, orderBy: { endsAt: 'asc' } });
}

export type ExpireOutcome = { expired: { id: string; matchers: string } } | { notFound: true } | { ambiguous: number };

/** Ends the active silence whose id starts with `idPrefix` (the short id people see, or the whole id). */
export async function expireSilence(db: Db, actor: Actor, idPrefix: string, now: Date): Promise<ExpireOutcome> {
  // Four characters at least, so a stray `a` cannot pick whichever silence happens to start with it.
  if (!/^[0-9a-f-]{4,36}$/i.test(idPrefix)) return { notFound: true };
  const candidates = await db.silence.findMany({
    where: { installationId: actor.installationId, id: { startsWith: idPrefix.toLowerCase() }, endsAt: { gt: now } },
    select: { id: true, matchers: true },
    take: 2,
  });
  const [silence, another] = candidates;
  if (!silence) return { notFound: true };
  if (another) return { ambiguous: candidates.length };
  const { count } = await db.silence.updateMany({ where: { id: silence.id, endsAt: { gt: now } }, data: { endsAt: now } });
  if (count === 0) return { notFound: true };
  await recordAudit(db, actor, 'silence.expire', `${shortId(silence.id)} ${silence.matchers}`);
  return { expired: silence };
}
