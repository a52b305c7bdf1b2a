// The PostgreSQL advisory locks Herald takes, in one place so that no two uses share a key.
// Any constants will do as long as nothing else in the database uses them.

/** Prisma's own migration key (one-key form, database-wide): Herald and `prisma migrate deploy` never migrate at once. */
export const MIGRATION_LOCK = 72707369;

// The rest are taken per schema (two-key form, with hashtext(current_schema()); sql.ts): Heralds in
// different schemas of one database do not wait for each other.

/** One process plans deliveries at a time (planner.ts). */
export const PLANNER_LOCK = 72707370;
/** One process deletes expired alerts at a time (retention.ts). */
export const RETENTION_LOCK = 72707371;
