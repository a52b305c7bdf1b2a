// A node-postgres pool on the schema a DATABASE_URL names: Prisma's and ingest's (database.ts), and
// the delivery planner's on its thread (plannerThread.ts).
import pg from 'pg';
import { postgresTarget } from './provider.js';

/**
 * `onLost`: an idle client that loses its server (a PostgreSQL restart) emits 'error', which
 * without a listener would crash the process; the pool drops that client and makes a new one when
 * next asked.
 */
export function postgresPool(databaseUrl: string, max: number, onLost: (error: Error) => void): { pool: pg.Pool; schema: string } {
  const { connectionString, schema } = postgresTarget(databaseUrl);
  const pool = new pg.Pool({ connectionString, options: `-c search_path="${schema.replaceAll('"', '""')}"`, max });
  pool.on('error', onLost);
  return { pool, schema };
}
