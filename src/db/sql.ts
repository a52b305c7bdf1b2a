// SQL straight through the database driver, for the one path that runs thousands of statements a
// second: the delivery planner. Prisma costs a fixed ~1–2 ms of CPU per query, raw or not
// (measured on this project's bench machine: 2.1 ms for a one-row raw SELECT, 1.6 ms for 250 rows
// through better-sqlite3 directly), and the planner shares its thread with ingest.
//
// Statements are written once for both databases (Statement builds placeholders and casts); rows
// come back typed as Prisma's models are (fromRow: dates and booleans by the schema).
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Prisma } from '../../generated/prisma/sqlite/index.js';
import type { Provider } from './provider.js';
import { openSqliteConnection } from './sqliteConnection.js';
import { inWriteTurn } from './sqliteWriteTurns.js';
import { sqliteTime } from './sqliteTime.js';

export type SqlParam = string | number | null;
export type SqlValue = SqlParam | Date | boolean;
export type SqlType = 'text' | 'time' | 'int' | 'bool';

/** One transaction's statements. */
export interface SqlTx {
  readonly provider: Provider;
  query<T>(sql: string, params: readonly SqlParam[]): Promise<T[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params: readonly SqlParam[]): Promise<number>;
}

/** The transaction could not start: another writer holds SQLite's lock, or the planner lock is taken. */
export class SqlBusy extends Error {
  constructor() {
    super('the database is busy with another writer');
    this.name = 'SqlBusy';
  }
}

/**
 * One statement's text and parameters, built left to right: SQLite binds `?` in the order they
 * appear, PostgreSQL numbers them. PostgreSQL types a parameter whose use does not say as text, so
 * times, integers and booleans are cast; a time is sent as ISO text, which `timestamp(3)`
 * (Prisma's UTC column type) reads as the same instant whatever the session's time zone.
 */
export class Statement {
  readonly params: SqlParam[] = [];

  constructor(private readonly provider: Provider) {}

  param(value: SqlValue, type: SqlType = 'text'): string {
    const postgres = this.provider === 'postgresql';
    this.params.push(encode(value, postgres));
    if (!postgres) return '?';
    const placeholder = `$${this.params.length}`;
    if (type === 'time') return `CAST(${placeholder} AS timestamp(3))`;
    if (type === 'int') return `CAST(${placeholder} AS integer)`;
    if (type === 'bool') return `CAST(${placeholder} AS boolean)`;
    return placeholder;
  }

  /** `?, ?, ?` for a list of values (an IN list). */
  list(values: readonly SqlValue[], type: SqlType = 'text'): string {
    return values.map((value) => this.param(value, type)).join(', ');
  }

  /** `(…), (…)` for rows of values typed by `types`. */
  values(rows: readonly (readonly SqlValue[])[], types: readonly SqlType[]): string {
    return rows.map((row) => `(${row.map((value, i) => this.param(value, types[i])).join(', ')})`).join(', ');
  }

  query<T>(tx: SqlTx, sql: string): Promise<T[]> {
    return tx.query<T>(sql, this.params);
  }

  run(tx: SqlTx, sql: string): Promise<number> {
    return tx.run(sql, this.params);
  }
}

function encode(value: SqlValue, postgres: boolean): SqlParam {
  if (value instanceof Date) return postgres ? value.toISOString() : sqliteTime(value);
  if (typeof value === 'boolean') return postgres ? String(value) : value ? 1 : 0;
  return value;
}

type ModelName = Prisma.ModelName;
type ColumnKind = 'date' | 'bool';
const kindOf: Record<string, ColumnKind | undefined> = { DateTime: 'date', Boolean: 'bool' };
/** Per model, its columns the drivers return differently from Prisma. */
const columnKinds = new Map<string, Map<string, ColumnKind>>(
  Prisma.dmmf.datamodel.models.map((model) => [
    model.name,
    new Map(model.fields.flatMap((field): [string, ColumnKind][] => {
      const kind = kindOf[field.type];
      return kind ? [[field.name, kind]] : [];
    })),
  ]),
);

/** A row as the driver returns it → as Prisma would (SQLite keeps dates as text and booleans as 0/1). */
export function fromRow<T>(model: ModelName, raw: Record<string, unknown>): T {
  const kinds = columnKinds.get(model);
  if (!kinds) return raw as T;
  const row: Record<string, unknown> = { ...raw };
  for (const [name, kind] of kinds) {
    const value = row[name];
    if (value === null || value === undefined) continue;
    if (kind === 'bool') row[name] = value === true || value === 1 || value === '1' || value === 't';
    else if (!(value instanceof Date)) row[name] = new Date(value as string);
  }
  return row as T;
}

export interface SqlRunner {
  /**
   * Runs `work` in one transaction. On PostgreSQL, `lock` is taken first as a transaction-level
   * advisory lock; SqlBusy if another session holds it (or, on SQLite, holds the write lock).
   */
  transaction<T>(work: (tx: SqlTx) => Promise<T>, lock?: { key: number }): Promise<T>;
  close(): Promise<void>;
}

/** How long a SQLite transaction keeps trying for the write lock, between event-loop turns. */
const SQLITE_LOCK_WAIT_MS = 5_000;
/** Prepared statements kept per connection (VALUES lists of different lengths are different texts). */
const STATEMENT_CACHE = 200;

/**
 * A connection of its own, no busy timeout: better-sqlite3 would wait for the lock with the whole
 * thread blocked, while the holder may be Herald's own Prisma connection, which needs this thread to
 * finish. The statements of a transaction run synchronously, so nothing else interleaves with it.
 */
export function sqliteRunner(path: string): SqlRunner {
  const db = openSqliteConnection(path, 'normal', { timeout: 0 });
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
  const tx: SqlTx = {
    provider: 'sqlite',
    query: async <T>(sql: string, params: readonly SqlParam[]) => prepare(sql).all(...params) as T[],
    run: async (sql: string, params: readonly SqlParam[]) => prepare(sql).run(...params).changes,
  };
  const begin = async () => {
    const giveUpAt = Date.now() + SQLITE_LOCK_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        db.exec('BEGIN IMMEDIATE');
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        if (Date.now() >= giveUpAt) throw new SqlBusy();
        await new Promise((resolve) => setTimeout(resolve, Math.min(20, 1 + attempt)));
      }
    }
  };
  return {
    // Herald's own writers of this file take turns (ingest's accept thread, Prisma's connection);
    // other processes are met at the lock.
    transaction: (work) =>
      inWriteTurn(path, async () => {
        await begin();
        try {
          const result = await work(tx);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }),
    close: async () => void db.close(),
  };
}

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
    close: async () => undefined, // the pool belongs to the Database
  };
}
