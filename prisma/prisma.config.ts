// Configuration for Prisma's CLI, used only by scripts/prisma.ts (generate and migrate diff).
// `engine: 'js'` keeps the CLI from downloading native engines, which offline machines cannot do.
// Herald applies migrations itself at start-up (src/db/migrate.ts), not through this CLI.
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

const provider = process.env.HERALD_PRISMA_PROVIDER === 'postgresql' ? 'postgresql' : 'sqlite';

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: `../generated/schema/${provider}/schema.prisma`,
  migrations: { path: `migrations/${provider}` },
  // `migrate diff` between two schema files instantiates the adapter but never connects.
  adapter: async () =>
    provider === 'postgresql'
      ? new PrismaPg({ connectionString: process.env.DATABASE_URL })
      : new PrismaBetterSQLite3({ url: ':memory:' }),
});
