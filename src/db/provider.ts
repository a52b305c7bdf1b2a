// Which database a DATABASE_URL names. SQLite is the embedded default; PostgreSQL is for teams
// that run several Herald processes or already operate a PostgreSQL.

export const PROVIDERS = ['sqlite', 'postgresql'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** `file:…` → sqlite, `postgres://…` or `postgresql://…` → postgresql, anything else → null. */
export function providerOf(databaseUrl: string): Provider | null {
  if (databaseUrl.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgresql';
  return null;
}
