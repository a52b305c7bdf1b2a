// SQL straight through the database driver, for the one path that runs thousands of statements a
// second: the delivery planner. Prisma costs a fixed ~1–2 ms of CPU per query, raw or not
// (measured on this project's bench machine: 2.1 ms for a one-row raw SELECT, 1.6 ms for 250 rows
// through better-sqlite3 directly), on two cores that ingest needs too. The runners: SQLite's on
// its writer thread (sqliteWriter/), PostgreSQL's in postgresSql.ts.
//
// Statements are written once for both databases (Statement builds placeholders and casts); rows
// come back typed as Prisma's models are (fromRow: dates and booleans by the schema).
import type { Provider } from './provider.js';
import { sqliteTime } from './sqliteTime.js';

export type SqlParam = string | number | null;
export type SqlValue = SqlParam | Date | boolean;
export type SqlType = 'text' | 'time' | 'int' | 'bool';

/** One transaction's statements. */
export interface SqlTx {
  readonly provider: Provider;
  query<T>(sql: string, params: readonly SqlParam[]): Promise<T[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params: readonly SqlParam[]): Promise<number>;
}

/** The transaction could not start: another writer holds SQLite's lock, or the planner lock is taken. */
export class SqlBusy extends Error {
  constructor() {
    super('the database is busy with another writer');
    this.name = 'SqlBusy';
  }
}

/** SQLite's SQLITE_BUSY (its busy timeout passed with another process's writer holding the lock) as SqlBusy; other errors as they are. */
export function busyAsSqlBusy(error: unknown): unknown {
  return (error as { code?: string } | null)?.code === 'SQLITE_BUSY' ? new SqlBusy() : error;
}

/**
 * One statement's text and parameters, built left to right: SQLite binds `?` in the order they
 * appear, PostgreSQL numbers them. PostgreSQL types a parameter whose use does not say as text, so
 * times, integers and booleans are cast; a time is sent as ISO text, which `timestamp(3)`
 * (Prisma's UTC column type) reads as the same instant whatever the session's time zone.
 */
export class Statement {
  readonly params: SqlParam[] = [];

  constructor(private readonly provider: Provider) {}

  param(value: SqlValue, type: SqlType = 'text'): string {
    const postgres = this.provider === 'postgresql';
    this.params.push(encode(value, postgres));
    if (!postgres) return '?';
    const placeholder = `$${this.params.length}`;
    if (type === 'time') return `CAST(${placeholder} AS timestamp(3))`;
    if (type === 'int') return `CAST(${placeholder} AS integer)`;
    if (type === 'bool') return `CAST(${placeholder} AS boolean)`;
    return placeholder;
  }

  /** `?, ?, ?` for a list of values (an IN list). */
  list(values: readonly SqlValue[], type: SqlType = 'text'): string {
    return values.map((value) => this.param(value, type)).join(', ');
  }

  /** `(…), (…)` for rows of values typed by `types`. */
  values(rows: readonly (readonly SqlValue[])[], types: readonly SqlType[]): string {
    return rows.map((row) => `(${row.map((value, i) => this.param(value, types[i])).join(', ')})`).join(', ');
  }

  query<T>(tx: SqlTx, sql: string): Promise<T[]> {
    return tx.query<T>(sql, this.params);
  }

  run(tx: SqlTx, sql: string): Promise<number> {
    return tx.run(sql, this.params);
  }
}

function encode(value: SqlValue, postgres: boolean): SqlParam {
  if (value instanceof Date) return postgres ? value.toISOString() : sqliteTime(value);
  if (typeof value === 'boolean') return postgres ? String(value) : value ? 1 : 0;
  return value;
}

type ColumnKind = 'date' | 'bool';
/**
 * Per model, its columns the drivers return differently from Prisma: DateTime and Boolean. Written
 * out rather than read from Prisma's generated client, which would load that client (12 MiB) into
 * the SQLite writer thread, where the planner runs; a unit test holds it to the schema
 * (test/unit/sql-column-kinds.test.ts).
 */
export const COLUMN_KINDS = {
  Installation: { isEnterpriseInstall: 'bool', botTokenExpiresAt: 'date', active: 'bool', installedAt: 'date', updatedAt: 'date', uninstalledAt: 'date' },
  Channel: { mutedUntil: 'date', lastDeliveryAt: 'date', brokenAt: 'date', nextSendAt: 'date', leaseUntil: 'date', createdAt: 'date', updatedAt: 'date' },
  IngestToken: { silenceWriteBack: 'bool', createdAt: 'date', lastUsedAt: 'date', revokedAt: 'date' },
  Silence: { startsAt: 'date', endsAt: 'date', createdAt: 'date' },
  Manager: { createdAt: 'date' },
  AuditEntry: { createdAt: 'date' },
  IncomingAlert: { startsAt: 'date', endsAt: 'date', receivedAt: 'date', processedAt: 'date' },
  PayloadDigest: { lastSeenAt: 'date' },
  AlertGroup: {
    firstAlertAt: 'date',
    lastEvaluatedAt: 'date',
    nextEvaluationAt: 'date',
    notifiedAt: 'date',
    acknowledgedAt: 'date',
    silencedUntil: 'date',
    resolvedAt: 'date',
    createdAt: 'date',
    updatedAt: 'date',
  },
  GroupAlert: { receivedAt: 'date', updatedAt: 'date' },
  OutboxMessage: { alertReceivedAt: 'date', compact: 'bool', createdAt: 'date', deadAt: 'date', sendingSince: 'date' },
} as const satisfies Record<string, Record<string, ColumnKind>>;

type ModelName = keyof typeof COLUMN_KINDS;
const columnKinds = new Map(Object.entries(COLUMN_KINDS).map(([model, columns]) => [model, Object.entries(columns) as [string, ColumnKind][]]));

/** A row as the driver returns it → as Prisma would (SQLite keeps dates as text and booleans as 0/1). */
export function fromRow<T>(model: ModelName, raw: Record<string, unknown>): T {
  const row: Record<string, unknown> = { ...raw };
  for (const [name, kind] of columnKinds.get(model) ?? []) {
    const value = row[name];
    if (value === null || value === undefined) continue;
    if (kind === 'bool') row[name] = value === true || value === 1 || value === '1' || value === 't';
    else if (!(value instanceof Date)) row[name] = new Date(value as string);
  }
  return row as T;
}

export interface SqlRunner {
  /**
   * Runs `work` in one transaction. On PostgreSQL, `lock` is taken first as a transaction-level
   * advisory lock; SqlBusy if another session holds it (or, on SQLite, holds the write lock).
   */
  transaction<T>(work: (tx: SqlTx) => Promise<T>, lock?: { key: number }): Promise<T>;
}
