// The databases Herald is measured on: a new SQLite file in a temporary directory, or a new schema
// `bench_<random>` in the PostgreSQL server the settings name. Both are removed afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { onCleanup } from './processes.js';

export type DatabaseKind = 'sqlite' | 'postgresql';

export interface BenchDatabase {
  kind: DatabaseKind;
  /** DATABASE_URL for Herald. */
  url: string;
  drop(): Promise<void>;
}

export const DATABASE_LABEL: Record<DatabaseKind, string> = { sqlite: 'SQLite', postgresql: 'PostgreSQL' };

export async function createDatabase(kind: DatabaseKind, postgresUrl: string | null): Promise<BenchDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
    const drop = onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    return { kind, url: `file:${join(dir, 'herald.db')}`, drop };
  }
  if (!postgresUrl) throw new Error('no PostgreSQL URL (BENCH_POSTGRES_URL or TEST_POSTGRES_URL)');
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const url = new URL(postgresUrl);
  url.searchParams.set('schema', schema);
  const drop = onCleanup(async () => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  });
  return { kind, url: url.toString(), drop };
}

/** The server's version, e.g. "16.4 (Debian 16.4-1.pgdg120+1)", or null when unreachable. */
export async function postgresVersion(postgresUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version ?? null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}
