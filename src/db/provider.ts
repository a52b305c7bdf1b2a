// Which database a DATABASE_URL names, and where it is. SQLite is the embedded default;
// PostgreSQL is for teams that run several Herald processes or already operate a PostgreSQL.
import { resolve } from 'node:path';

export const PROVIDERS = ['sqlite', 'postgresql'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** `file:…` → sqlite, `postgres://…` or `postgresql://…` → postgresql, anything else → null. */
export function providerOf(databaseUrl: string): Provider | null {
  if (databaseUrl.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgresql';
  return null;
}

/** `file:./data/herald.db` → an absolute path, relative to the working directory. */
export function sqlitePath(databaseUrl: string): string {
  return resolve(databaseUrl.slice('file:'.length).replace(/^\/\/(?=\/)/, '').split('?')[0] ?? '');
}

/** Splits Prisma's `?schema=name` convention off a PostgreSQL URL (node-postgres does not know it). */
export function postgresTarget(databaseUrl: string): { connectionString: string; schema: string } {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? 'public';
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), schema };
}
