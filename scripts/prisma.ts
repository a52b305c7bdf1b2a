// Prisma tooling that works offline (see ../shared/notes/prisma-offline.md for why it looks like this).
//
//   tsx scripts/prisma.ts generate        render the schema per provider and generate both clients
//   tsx scripts/prisma.ts diff NAME       write a new migration for both providers
//
// Prisma allows one provider per schema file, so prisma/schema.prisma (the one source) is rendered
// into generated/schema/<provider>/schema.prisma with its PROVIDER placeholders filled in.
// prisma/migrations/schema.prisma is the schema as the committed migrations build it: a new
// migration is the diff from it to prisma/schema.prisma, computed without any database.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROVIDERS, type Provider } from '../src/db/provider.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function renderedSchemaPath(provider: Provider): string {
  return join(root, 'generated', 'schema', provider, 'schema.prisma');
}

export const SCHEMA_PATH = join(root, 'prisma', 'schema.prisma');
export const MIGRATED_SCHEMA_PATH = join(root, 'prisma', 'migrations', 'schema.prisma');
export const migrationsDir = (provider: Provider): string => join(root, 'prisma', 'migrations', provider);

/** Writes `source` with its PROVIDER placeholders filled in, once per provider; returns the paths. */
function renderSchema(source: string, folder: string): Record<Provider, string> {
  const paths = {} as Record<Provider, string>;
  for (const provider of PROVIDERS) {
    const path = join(root, 'generated', folder, provider, 'schema.prisma');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, source.replaceAll('PROVIDER', provider));
    paths[provider] = path;
  }
  return paths;
}

export function renderSchemas(): void {
  renderSchema(readFileSync(SCHEMA_PATH, 'utf8'), 'schema');
}

/** Runs Prisma's CLI for one provider. `engine: 'js'` in prisma/prisma.config.ts keeps it offline. */
export function prismaCli(provider: Provider, args: string[]): string {
  const databaseUrl =
    provider === 'sqlite' ? 'file:./unused.db' : (process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test');
  return execFileSync(process.execPath, [join(root, 'node_modules', 'prisma', 'build', 'index.js'), ...args, '--config', join(root, 'prisma', 'prisma.config.ts')], {
    cwd: root,
    env: { ...process.env, HERALD_PRISMA_PROVIDER: provider, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The SQL that creates the current schema from nothing, as `prisma migrate diff` writes it. */
export function schemaSql(provider: Provider): string {
  return prismaCli(provider, ['migrate', 'diff', '--from-empty', '--to-schema-datamodel', renderedSchemaPath(provider), '--script']);
}

/** Writes prisma/migrations/<provider>/<timestamp>_<name>/migration.sql for both providers. */
function writeMigration(name: string): void {
  const from = renderSchema(readFileSync(MIGRATED_SCHEMA_PATH, 'utf8'), 'migrated-schema');
  const folder = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${name.replace(/\W+/g, '_')}`;
  for (const provider of PROVIDERS) {
    const sql = prismaCli(provider, ['migrate', 'diff', '--from-schema-datamodel', from[provider], '--to-schema-datamodel', renderedSchemaPath(provider), '--script']);
    if (!/^\s*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|PRAGMA)/m.test(sql)) throw new Error('prisma/schema.prisma has no change to migrate.');
    mkdirSync(join(migrationsDir(provider), folder), { recursive: true });
    writeFileSync(join(migrationsDir(provider), folder, 'migration.sql'), sql);
    console.log(`wrote prisma/migrations/${provider}/${folder}/migration.sql`);
  }
  writeFileSync(MIGRATED_SCHEMA_PATH, readFileSync(SCHEMA_PATH, 'utf8'));
}

function main(): void {
  const [command, name] = process.argv.slice(2);
  renderSchemas();
  if (command === 'generate') {
    for (const provider of PROVIDERS) prismaCli(provider, ['generate']);
    console.log('Prisma clients generated for sqlite and postgresql.');
  } else if (command === 'diff' && name) {
    writeMigration(name);
  } else {
    console.error('usage: tsx scripts/prisma.ts generate | diff NAME');
    process.exitCode = 2;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
