// How Prisma's SQLite adapter writes a DateTime (its default `iso8601` format). Statements that
// write SQLite directly (ingest's accept store, the planner's batch statements) write times this
// way, so Prisma reads them back and text comparisons order them correctly.
export const sqliteTime = (date: Date): string => date.toISOString().replace('Z', '+00:00');
