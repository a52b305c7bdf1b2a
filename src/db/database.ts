// Opens the database DATABASE_URL names, applies pending migrations, and returns a Prisma client.
// SQLite (`file:…`, the embedded default) and PostgreSQL share one schema; each has its own
// generated client (Prisma allows one provider per client), with identical model APIs.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { PrismaClient as PostgresClient } from '../../generated/prisma/postgresql/index.js';
import { PrismaClient as SqliteClient } from '../../generated/prisma/sqlite/index.js';
import type { Logger } from '../log.js';
import { MIGRATION_LOCK } from './advisoryLocks.js';
import { migrate, type MigrationConnection } from './migrate.js';
import { providerOf, type Provider } from './provider.js';
import { postgresRunner } from './postgresSql.js';
import type { SqlRunner } from './sql.js';
import { openSqliteConnection, sqlitePragmas } from './sqliteConnection.js';
import { openSqliteWriter, type SqliteWriter } from './sqliteWriter/client.js';
import { takingWriteTurns } from './sqliteTurnAdapter.js';

/** The Prisma client type Herald's code is written against (both generated clients have it). */
export type Db = SqliteClient;
export type * from '../../generated/prisma/sqlite/index.js';

/** The database driver under Prisma, for the paths that write through it directly: ingest's commits, and on SQLite the planner (the writer thread). */
export type DriverHandle = { provider: 'sqlite'; path: string; writer: SqliteWriter } | { provider: 'postgresql'; pool: pg.Pool };

export interface Database {
  provider: Provider;
  prisma: Db;
  driver: DriverHandle;
  /** Transactions straight through the driver, for the delivery planner (see sql.ts). */
  sql: SqlRunner;
  /** True when a trivial query succeeds (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function openDatabase(databaseUrl: string, log: Logger): Promise<Database> {
  const provider = providerOf(databaseUrl);
  if (provider === 'sqlite') return openSqlite(databaseUrl, log);
  if (provider === 'postgresql') return openPostgres(databaseUrl, log);
  throw new Error('DATABASE_URL must start with file:, postgres:// or postgresql://');
}

/** `file:./data/herald.db` → an absolute path, relative to the working directory. */
export function sqlitePath(databaseUrl: string): string {
  return resolve(databaseUrl.slice('file:'.length).replace(/^\/\/(?=\/)/, '').split('?')[0] ?? '');
}

async function openSqlite(databaseUrl: string, log: Logger): Promise<Database> {
  const path = sqlitePath(databaseUrl);
  mkdirSync(dirname(path), { recursive: true });
  const raw = openSqliteConnection(path, 'normal');
  try {
    await migrate(sqliteMigrationConnection(raw), log);
  } finally {
    raw.close();
  }
  // Its writes take turns with ingest's and the planner's (sqliteTurnAdapter.ts); the busy timeout
  // is for other processes' writers.
  const prisma = new SqliteClient({ adapter: takingWriteTurns(new PrismaBetterSQLite3({ url: path, timeout: 10_000 }), path) });
  try {
    // The adapter opens its one connection itself, so Herald's settings go through it.
    for (const pragma of sqlitePragmas('normal')) await prisma.$executeRawUnsafe(`PRAGMA ${pragma}`);
  } catch (error) {
    await prisma.$disconnect();
    throw error;
  }
  const writer = openSqliteWriter(path);
  return {
    provider: 'sqlite',
    prisma,
    driver: { provider: 'sqlite', path, writer },
    sql: writer.sql,
    ping: () => pingWith(prisma),
    close: async () => {
      await prisma.$disconnect();
      await writer.close();
    },
  };
}

function sqliteMigrationConnection(raw: BetterSqlite3.Database): MigrationConnection {
  return {
    provider: 'sqlite',
    exec: async (sql) => void raw.exec(sql),
    query: async <Row>(sql: string, params: unknown[]) => {
      const statement = raw.prepare(sql);
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as Row[];
    },
    // BEGIN IMMEDIATE takes SQLite's write lock up front, so two processes starting together
    // apply the migrations one after the other.
    exclusive: async (work) => {
      raw.exec('BEGIN IMMEDIATE');
      try {
        const result = await work();
        raw.exec('COMMIT');
        return result;
      } catch (error) {
        raw.exec('ROLLBACK');
        throw error;
      }
    },
  };
}

/** Splits Prisma's `?schema=name` convention off a PostgreSQL URL (node-postgres does not know it). */
export function postgresTarget(databaseUrl: string): { connectionString: string; schema: string } {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? 'public';
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), schema };
}

async function openPostgres(databaseUrl: string, log: Logger): Promise<Database> {
  const { connectionString, schema } = postgresTarget(databaseUrl);
  const pool = new pg.Pool({ connectionString, options: `-c search_path="${schema.replaceAll('"', '""')}"`, max: 10 });
  // An idle client that loses its server (a PostgreSQL restart) emits 'error'; without a listener
  // that would crash the process. The pool drops the client and /readyz reports the outage.
  pool.on('error', (error) => log.warn({ err: error.message }, 'PostgreSQL connection lost'));
  try {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '""')}"`);
      await migrate(postgresMigrationConnection(client), log);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  // Both clients come from the same schema, so their model APIs are identical; the cast only
  // bridges the two generated type names.
  const prisma = new PostgresClient({ adapter: new PrismaPg(pool, { schema }) }) as unknown as Db;
  return {
    provider: 'postgresql',
    prisma,
    driver: { provider: 'postgresql', pool },
    sql: postgresRunner(pool),
    ping: () => pingWith(prisma),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

function postgresMigrationConnection(client: pg.PoolClient): MigrationConnection {
  return {
    provider: 'postgresql',
    exec: async (sql) => void (await client.query(sql)),
    query: async <Row>(sql: string, params: unknown[]) => (await client.query(sql, params)).rows as Row[],
    // Prisma's own advisory-lock key (advisoryLocks.ts).
    exclusive: async (work) => {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        const result = await work();
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
}

async function pingWith(prisma: Db): Promise<boolean> {
  try {
    await prisma.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
