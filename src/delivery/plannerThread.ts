// The thread the delivery planner runs on (plannerOnThread.ts): planDeliveries over a connection
// of its own, one batch at a time, as the worker asks.
import { workerData } from 'node:worker_threads';
import { postgresPool } from '../db/postgresPool.js';
import { providerOf, sqlitePath } from '../db/provider.js';
import { postgresRunner, sqliteRunner } from '../db/sql.js';
import { answerCalls } from '../threadAnswers.js';
import type { PlanCall } from './plannerOnThread.js';
import { planDeliveries, type PlanningDatabase } from './planner.js';

const { databaseUrl } = workerData as { databaseUrl: string };

function open(): PlanningDatabase & { close(): Promise<void> } {
  if (providerOf(databaseUrl) === 'sqlite') {
    const sql = sqliteRunner(sqlitePath(databaseUrl));
    return { provider: 'sqlite', sql, close: () => sql.close() };
  }
  // A lost connection needs no word here: the batch that meets it fails, and the worker logs that.
  const { pool } = postgresPool(databaseUrl, 1, () => undefined);
  return { provider: 'postgresql', sql: postgresRunner(pool), close: () => pool.end() };
}

const database = open();
answerCalls(({ now, limits }: PlanCall) => planDeliveries(database, new Date(now), limits), () => database.close());
