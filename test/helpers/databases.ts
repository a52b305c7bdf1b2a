// The databases every storage test runs on: a fresh SQLite file always, and a fresh PostgreSQL
// schema when TEST_POSTGRES_URL is set (.ci/run sets it to the machine's PostgreSQL).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  /** A DATABASE_URL for Herald. */
  url: string;
  /** Removes the file or the schema. */
  drop(): Promise<void>;
}

export interface TestDatabaseKind {
  name: 'sqlite' | 'postgresql';
  create(): Promise<TestDatabase>;
}

/** A fresh SQLite file: for the tests that are about SQLite only. */
export const sqliteKind: TestDatabaseKind = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'herald-test-'));
    return { url: `file:${join(dir, 'herald.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

function postgres(baseUrl: string): TestDatabaseKind {
  return {
    name: 'postgresql',
    async create() {
      // One schema per test database: test files run in parallel on one PostgreSQL database.
      const schema = `herald_test_${randomBytes(6).toString('hex')}`;
      const url = new URL(baseUrl);
      url.searchParams.set('schema', schema);
      return {
        url: url.toString(),
        drop: async () => {
          const client = new pg.Client({ connectionString: baseUrl });
          await client.connect();
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await client.end();
        },
      };
    },
  };
}

export function testDatabaseKinds(): TestDatabaseKind[] {
  const postgresUrl = process.env.TEST_POSTGRES_URL;
  return postgresUrl ? [sqliteKind, postgres(postgresUrl)] : [sqliteKind];
}

/**
 * Everything the database holds, as text: the raw SQLite files (database and write-ahead log), or
 * every row of every table of the PostgreSQL schema. For checks like "this secret is not stored".
 */
export async function rawDatabaseText(databaseUrl: string): Promise<string> {
  if (databaseUrl.startsWith('file:')) {
    const path = databaseUrl.slice('file:'.length);
    return [path, `${path}-wal`]
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file).toString('latin1'))
      .join('\n');
  }
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? 'public';
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
    const dumps = await Promise.all(
      tables.rows.map(async ({ table_name }) => (await client.query(`SELECT row_to_json(t)::text AS row FROM "${schema}"."${table_name}" t`)).rows.map((r) => r.row).join('\n')),
    );
    return dumps.join('\n');
  } finally {
    await client.end();
  }
}
