// When the delivery worker has something to do next without being woken: a group whose
// group_wait or group_interval ends, or a channel with calls waiting whose pace lets it be sent to
// again. Channels leased by a process (this one's calls in flight, or another's) are left out: this
// process is woken when its own calls settle, and another's lease ends by the next poll at the latest.
import type { Database } from '../db/database.js';

export async function nextDueAt(database: Database, now: Date): Promise<Date | null> {
  const db = database.prisma;
  const [groups, channels] = await Promise.all([
    db.alertGroup.aggregate({ _min: { nextEvaluationAt: true }, where: { openKey: { not: null } } }),
    db.channel.aggregate({
      _min: { nextSendAt: true },
      where: { brokenAt: null, OR: [{ leaseUntil: null }, { leaseUntil: { lte: now } }], outbox: { some: { deadAt: null } } },
    }),
  ]);
  const times = [groups._min.nextEvaluationAt, channels._min.nextSendAt].filter((time): time is Date => time !== null);
  return times.length === 0 ? null : new Date(Math.min(...times.map((time) => time.getTime())));
}
