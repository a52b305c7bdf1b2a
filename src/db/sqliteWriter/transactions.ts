// Transactions on the writer thread's `normal` connection (thread.ts): the delivery planner's,
// run whole here (`runner`), and those whose statements the request thread sends one at a time
// (begin, query, run, end; client.ts `sql`). Either way the request thread holds the write turn
// (sqliteWriteTurns.ts) from BEGIN to COMMIT, so nothing else of Herald's writes meanwhile.
import type BetterSqlite3 from 'better-sqlite3';
import { busyAsSqlBusy, type SqlParam, type SqlRunner, type SqlTx } from '../sql.js';

/** Prepared statements kept (VALUES lists of different lengths are different texts). */
const STATEMENT_CACHE = 200;

export interface SqliteTransactions {
  /** For code that runs here: planDeliveries. SqlBusy when BEGIN waited its busy timeout for another process's writer. */
  runner: SqlRunner;
  begin(): void;
  query(sql: string, params: readonly SqlParam[]): unknown[];
  run(sql: string, params: readonly SqlParam[]): number;
  end(commit: boolean): void;
}

/** Transactions on `db`, whose busy timeout is how long BEGIN waits for another process's writer. */
export function sqliteTransactions(db: BetterSqlite3.Database): SqliteTransactions {
  const prepared = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    let statement = prepared.get(sql);
    if (!statement) {
      if (prepared.size >= STATEMENT_CACHE) prepared.clear();
      statement = db.prepare(sql);
      prepared.set(sql, statement);
    }
    return statement;
  };
  const query = (sql: string, params: readonly SqlParam[]) => prepare(sql).all(...params);
  const run = (sql: string, params: readonly SqlParam[]) => prepare(sql).run(...params).changes;
  const begin = () => {
    // A transaction left open (its request thread gave up on it mid-way) would hold the lock for
    // good; rolling it back keeps one mistake from stopping every write.
    if (db.inTransaction) db.exec('ROLLBACK');
    db.exec('BEGIN IMMEDIATE');
  };
  const end = (commit: boolean) => {
    if (commit) db.exec('COMMIT');
    else if (db.inTransaction) db.exec('ROLLBACK');
  };

  // Its promises resolve at once: a plan runs to its end before the thread reads its next call.
  const tx: SqlTx = {
    provider: 'sqlite',
    query: async <T>(sql: string, params: readonly SqlParam[]) => query(sql, params) as T[],
    run: async (sql, params) => run(sql, params),
  };
  const runner: SqlRunner = {
    transaction: async (work) => {
      try {
        begin();
      } catch (error) {
        throw busyAsSqlBusy(error);
      }
      try {
        const result = await work(tx);
        end(true);
        return result;
      } catch (error) {
        end(false);
        throw error;
      }
    },
  };
  return { runner, begin, query, run, end };
}
