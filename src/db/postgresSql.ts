// The planner's transactions on PostgreSQL (sql.ts has the statements they run), through the pool
// Herald's Prisma client also uses.
import pg from 'pg';
import { SqlBusy, type SqlParam, type SqlRunner, type SqlTx } from './sql.js';

/** `timestamp(3)` holds UTC wall time (Prisma's convention); node-postgres would read it as local time. */
const utcTimestamps: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.TIMESTAMP ? (text: string) => new Date(`${text.replace(' ', 'T')}Z`) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Runs `work` between BEGIN and COMMIT on a client of the pool (ROLLBACK if it throws). A checked-out
 * client has no listener of the pool's: a server that dies mid-transaction would make it emit an
 * unhandled 'error' and take the process down. A client that failed is discarded, not returned.
 */
export async function inPgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError as Error));
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

export function postgresRunner(pool: pg.Pool): SqlRunner {
  return {
    transaction: (work, lock) =>
      inPgTransaction(pool, async (client) => {
        const run = (sql: string, params: readonly SqlParam[]) => client.query({ text: sql, values: [...params], types: utcTimestamps });
        const tx: SqlTx = {
          provider: 'postgresql',
          query: async <T>(sql: string, params: readonly SqlParam[]) => (await run(sql, params)).rows as T[],
          run: async (sql: string, params: readonly SqlParam[]) => (await run(sql, params)).rowCount ?? 0,
        };
        if (lock) {
          const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext(current_schema())) AS locked', [lock.key]);
          if (!rows[0]?.locked) throw new SqlBusy();
        }
        return work(tx);
      }),
  };
}
