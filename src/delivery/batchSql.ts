// Set-based statements for the planner: one statement per batch instead of one per group or per
// alert. Prisma's query API has no multi-row update or upsert, and each query it runs costs a
// fixed ~0.3–0.5 ms of CPU (profiled under the bench: its query compiler and client were half of
// Herald's CPU), so the planner's per-row writes are raw SQL, written once for both databases
// through the transaction the planner already holds.
import type { Provider } from '../db/provider.js';
import { sqliteTime } from '../db/sqliteTime.js';
import { chunks } from './chunks.js';
import type { Tx } from './transaction.js';

export type SqlType = 'text' | 'time' | 'int';
export type SqlValue = string | number | Date | null;


/**
 * One statement's text and parameters, built left to right: SQLite binds `?` in the order they
 * appear, PostgreSQL numbers them. PostgreSQL types a parameter inside VALUES as text unless told,
 * so times and integers are cast; a time is sent as ISO text, which `timestamp(3)` (Prisma's UTC
 * column type) reads as the same instant whatever the session's time zone.
 */
export class Statement {
  readonly params: (string | number | null)[] = [];

  constructor(private readonly provider: Provider) {}

  param(value: SqlValue, type: SqlType = 'text'): string {
    const postgres = this.provider === 'postgresql';
    this.params.push(value instanceof Date ? (postgres ? value.toISOString() : sqliteTime(value)) : value);
    if (!postgres) return '?';
    const placeholder = `$${this.params.length}`;
    if (type === 'time') return `CAST(${placeholder} AS timestamp(3))`;
    if (type === 'int') return `CAST(${placeholder} AS integer)`;
    return placeholder;
  }

  /** `(…), (…)` for rows of values typed by `types`. */
  values(rows: readonly (readonly SqlValue[])[], types: readonly SqlType[]): string {
    return rows.map((row) => `(${row.map((value, i) => this.param(value, types[i])).join(', ')})`).join(', ');
  }

  run(tx: Tx, sql: string): Promise<number> {
    return tx.$executeRawUnsafe(sql, ...this.params);
  }

  query<T>(tx: Tx, sql: string): Promise<T[]> {
    return tx.$queryRawUnsafe<T[]>(sql, ...this.params);
  }
}

export interface RowUpdate {
  /** Columns of the VALUES list; the first is the row's id. */
  columns: readonly { name: string; type: SqlType }[];
  rows: readonly (readonly SqlValue[])[];
  /** SET clauses; `v."name"` is this row's value of a column. */
  set: readonly string[];
  /** Extra condition on the table's row, e.g. `"AlertGroup"."status" = 'firing'`. */
  where?: string;
  /** Columns of the changed rows to return besides their id, as they are after the update. */
  returning?: readonly string[];
}

/**
 * `UPDATE table SET … FROM (VALUES …)`: each row of `rows` updates the table's row of the same id
 * with its own values, in one statement (SQLite ≥ 3.33 and PostgreSQL both have UPDATE … FROM).
 * Returns the rows changed (the `where` may skip some): their id and the `returning` columns.
 */
export async function updateRows<R extends { id: string } = { id: string }>(tx: Tx, provider: Provider, table: string, update: RowUpdate): Promise<R[]> {
  const names = update.columns.map((column) => `"${column.name}"`).join(', ');
  const types = update.columns.map((column) => column.type);
  const idColumn = update.columns[0]?.name ?? 'id';
  const returning = ['id', ...(update.returning ?? [])].map((name) => `"${table}"."${name}" AS "${name}"`).join(', ');
  const changed: R[] = [];
  for (const rows of chunks(update.rows)) {
    const statement = new Statement(provider);
    const values = statement.values(rows, types);
    const sql = `WITH v(${names}) AS (VALUES ${values})
     UPDATE "${table}" SET ${update.set.join(', ')}
     FROM v WHERE "${table}"."id" = v."${idColumn}"${update.where ? ` AND ${update.where}` : ''}
     RETURNING ${returning}`;
    changed.push(...(await statement.query<R>(tx, sql)));
  }
  return changed;
}
