// The committed migrations build exactly the schema in prisma/schema.prisma, on both databases,
// and are recorded the way Prisma records them.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openDatabase, postgresTarget, sqlitePath } from '../../src/db/database.js';
import { readMigrations } from '../../src/db/migrate.js';
import { silentLogger } from '../../src/log.js';
import { MIGRATED_SCHEMA_PATH, SCHEMA_PATH, renderSchemas, schemaSql } from '../../scripts/prisma.js';
import { testDatabaseKinds } from '../helpers/databases.js';

/** Tables, columns, indexes and foreign keys, in a form that compares equal for equal schemas. */
async function structureOf(url: string): Promise<unknown> {
  if (url.startsWith('file:')) {
    const db = new BetterSqlite3(sqlitePath(url), { readonly: true });
    try {
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations' ORDER BY name`).all() as { name: string }[];
      return tables.map(({ name }) => ({
        name,
        columns: db.pragma(`table_info("${name}")`),
        // Without index_list's seq: it is the order the indexes were created in, which an index added
        // by a later migration changes against a schema created at once.
        indexes: (db.pragma(`index_list("${name}")`) as { name: string; unique: number; seq?: number }[])
          .map(({ seq: _order, ...index }) => ({ ...index, columns: db.pragma(`index_info("${index.name}")`) }))
          .sort((a, b) => a.name.localeCompare(b.name)),
        foreignKeys: db.pragma(`foreign_key_list("${name}")`),
      }));
    } finally {
      db.close();
    }
  }
  const { connectionString, schema } = postgresTarget(url);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name != '_prisma_migrations' ORDER BY table_name, column_name`,
      [schema],
    );
    const indexes = await client.query(`SELECT tablename, indexname, indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND tablename != '_prisma_migrations' ORDER BY indexname`, [schema]);
    const constraints = await client.query(
      `SELECT conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1 AND conname NOT LIKE '_prisma%' ORDER BY conname`,
      [schema],
    );
    // Definitions name the (per-test, random) schema; leave it out so two schemas compare.
    const withoutSchema = JSON.stringify({ columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows }).replaceAll(`${schema}.`, '');
    return JSON.parse(withoutSchema);
  } finally {
    await client.end();
  }
}

/** Runs the SQL `prisma migrate diff --from-empty` writes for the current schema on an empty database. */
async function createFromSchema(url: string, sql: string): Promise<void> {
  if (url.startsWith('file:')) {
    const db = new BetterSqlite3(sqlitePath(url));
    db.exec(sql);
    db.close();
    return;
  }
  const { connectionString, schema } = postgresTarget(url);
  const client = new pg.Client({ connectionString, options: `-c search_path=${schema}` });
  await client.connect();
  await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await client.query(sql.replace('CREATE SCHEMA IF NOT EXISTS "public";', ''));
  await client.end();
}

describe('migrations', () => {
  it('cover every change of prisma/schema.prisma (run `npm run db:diff -- NAME` after editing it)', () => {
    assert.equal(readFileSync(MIGRATED_SCHEMA_PATH, 'utf8'), readFileSync(SCHEMA_PATH, 'utf8'), 'prisma/schema.prisma changed without a migration');
  });

  for (const kind of testDatabaseKinds()) {
    it(`build on ${kind.name} exactly the schema Prisma would create, and are recorded as Prisma records them`, async () => {
      renderSchemas();
      const migrated = await kind.create();
      const reference = await kind.create();
      try {
        const database = await openDatabase(migrated.url, silentLogger());
        const recorded = await database.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: unknown; applied_steps_count: number | bigint }[]>(
          'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
        );
        await database.close();
        const committed = readMigrations(kind.name);
        assert.ok(committed.length > 0);
        assert.deepEqual(
          recorded.map((row) => [row.migration_name, row.checksum, row.finished_at !== null, Number(row.applied_steps_count)]),
          committed.map((m) => [m.name, createHash('sha256').update(m.sql).digest('hex'), true, 1]),
        );

        const again = await openDatabase(migrated.url, silentLogger()); // nothing left to apply
        const count = await again.prisma.$queryRawUnsafe<{ n: number | bigint }[]>('SELECT COUNT(*) AS n FROM "_prisma_migrations"');
        await again.close();
        assert.equal(Number(count[0]?.n), committed.length);

        await createFromSchema(reference.url, schemaSql(kind.name));
        assert.deepEqual(await structureOf(migrated.url), await structureOf(reference.url));
      } finally {
        await migrated.drop();
        await reference.drop();
      }
    });
  }
});
