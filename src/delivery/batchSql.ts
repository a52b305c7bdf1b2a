// Set-based statements for the planner: one statement per batch instead of one per group or per
// alert, written once for both databases (SQLite ≥ 3.33 and PostgreSQL both have UPDATE … FROM and
// INSERT … ON CONFLICT).
import { Statement, type SqlTx, type SqlType, type SqlValue } from '../db/sql.js';
import { chunks } from './chunks.js';

export interface Column {
  name: string;
  type: SqlType;
}

/** Multi-row INSERT in chunks; `onConflict` is appended as is (e.g. `ON CONFLICT (…) DO UPDATE SET …`). */
export async function insertRows(tx: SqlTx, table: string, columns: readonly Column[], rows: readonly (readonly SqlValue[])[], onConflict = ''): Promise<void> {
  const names = columns.map((column) => `"${column.name}"`).join(', ');
  const types = columns.map((column) => column.type);
  for (const chunk of chunks(rows)) {
    const statement = new Statement(tx.provider);
    await statement.run(tx, `INSERT INTO "${table}" (${names}) VALUES ${statement.values(chunk, types)} ${onConflict}`);
  }
}

export interface RowUpdate {
  /** Columns of the VALUES list; the first is the row's id. */
  columns: readonly Column[];
  rows: readonly (readonly SqlValue[])[];
  /** SET clauses; `v."name"` is this row's value of a column. */
  set: readonly string[];
  /** Extra condition on the table's row, e.g. `"AlertGroup"."status" = 'firing'`. */
  where?: string;
  /** Columns of the changed rows to return besides their id, as they are after the update. */
  returning?: readonly string[];
}

/**
 * `WITH v AS (VALUES …) UPDATE table SET … FROM v`: each row of `rows` updates the table's row of
 * the same id with its own values, in one statement per chunk. Returns the rows changed (the
 * `where` may skip some): their id and the `returning` columns.
 */
export async function updateRows<R extends { id: string } = { id: string }>(tx: SqlTx, table: string, update: RowUpdate): Promise<R[]> {
  const names = update.columns.map((column) => `"${column.name}"`).join(', ');
  const types = update.columns.map((column) => column.type);
  const idColumn = update.columns[0]?.name ?? 'id';
  const returning = ['id', ...(update.returning ?? [])].map((name) => `"${table}"."${name}" AS "${name}"`).join(', ');
  const changed: R[] = [];
  for (const rows of chunks(update.rows)) {
    const statement = new Statement(tx.provider);
    const sql = `WITH v(${names}) AS (VALUES ${statement.values(rows, types)})
     UPDATE "${table}" SET ${update.set.join(', ')}
     FROM v WHERE "${table}"."id" = v."${idColumn}"${update.where ? ` AND ${update.where}` : ''}
     RETURNING ${returning}`;
    changed.push(...(await statement.query<R>(tx, sql)));
  }
  return changed;
}

/** A query over a long list of keys, one statement per chunk; `sql` puts the list in an IN (…) and takes no other parameters. */
export async function selectIn<T>(tx: SqlTx, keys: readonly SqlValue[], sql: (inList: string) => string): Promise<T[]> {
  const rows: T[] = [];
  for (const chunk of chunks(keys)) {
    const statement = new Statement(tx.provider);
    rows.push(...(await statement.query<T>(tx, sql(statement.list(chunk)))));
  }
  return rows;
}
