// When the delivery worker has something to do next without being woken: the first group whose
// group_wait or group_interval ends. (A channel's next call after one that went out has a timer of
// its own, worker.ts #sendAgainAt; retries wait seconds, where the next poll is soon enough.)
import type { Database } from '../db/database.js';

export async function nextDueAt(database: Database): Promise<Date | null> {
  const { _min } = await database.prisma.alertGroup.aggregate({ _min: { nextEvaluationAt: true }, where: { openKey: { not: null } } });
  return _min.nextEvaluationAt;
}
