// Applies the committed SQL migrations (prisma/migrations/<provider>/*/migration.sql) at start-up
// and from `npm run db:migrate`. Prisma's CLI cannot apply migrations on offline machines (see
// ../shared/notes/prisma-offline.md), so Herald does it itself — and records each one in Prisma's
// own `_prisma_migrations` table, the same way, so `prisma migrate deploy`/`status` stay usable.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../log.js';
import type { Provider } from './provider.js';

const MIGRATIONS_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prisma', 'migrations');

/** The little a migration needs from a database connection; one implementation per provider. */
export interface MigrationConnection {
  provider: Provider;
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<Row>(sql: string, params: unknown[]): Promise<Row[]>;
  /** Runs `work` in one transaction, holding a lock that other Herald processes also take. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

export interface Migration {
  name: string;
  sql: string;
  /** SHA-256 of the file, as Prisma computes it. */
  checksum: string;
}

// Prisma's DDL for its bookkeeping table (schema engine, sql_schema_connector), per provider.
const MIGRATIONS_TABLE: Record<Provider, string> = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
};

export function readMigrations(provider: Provider): Migration[] {
  const dir = join(MIGRATIONS_ROOT, provider);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Applies every migration not yet recorded, all in one transaction; returns their names. */
export async function migrate(connection: MigrationConnection, log: Logger): Promise<string[]> {
  const { provider } = connection;
  await connection.exec(MIGRATIONS_TABLE[provider]);
  return connection.exclusive(async () => {
    const rows = await connection.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      [],
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row.checksum]));
    const done: string[] = [];
    for (const migration of readMigrations(provider)) {
      const appliedChecksum = applied.get(migration.name);
      if (appliedChecksum !== undefined) {
        if (appliedChecksum !== migration.checksum) log.warn({ migration: migration.name }, 'an applied migration was edited afterwards; its changes were not applied again');
        continue;
      }
      try {
        await connection.exec(migration.sql);
      } catch (error) {
        throw new Error(`migration ${migration.name} failed and was rolled back: ${(error as Error).message}`, { cause: error });
      }
      const now = new Date().toISOString();
      await connection.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES (${placeholders(provider, 6)})`,
        [randomUUID(), migration.checksum, migration.name, now, now, 1],
      );
      log.info({ migration: migration.name }, 'migration applied');
      done.push(migration.name);
    }
    return done;
  });
}

const placeholders = (provider: Provider, count: number): string =>
  Array.from({ length: count }, (_, i) => (provider === 'postgresql' ? `$${i + 1}` : '?')).join(', ');
