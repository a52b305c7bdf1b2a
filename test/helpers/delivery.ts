// Builders for delivery-planning tests: a fresh migrated database per test, an installation and
// channels inserted directly, alerts accepted as IncomingAlert rows, and a fake clock. No worker
// runs: tests call the planner with the `now` they choose and look at the rows it wrote.
import { afterEach, beforeEach } from 'node:test';
import type { Alert, AlertStatus, Severity } from '../../src/alerts/alert.js';
import { openDatabase, sqlitePath, type AlertGroup, type Channel, type Database, type Db, type OutboxMessage } from '../../src/db/database.js';
import type { SqlRunner } from '../../src/db/sql.js';
import { planNextBatch, type PlanLimits, type PlanResult } from '../../src/delivery/planner.js';
import { incomingAlertRow } from '../../src/ingest/accept/rows.js';
import { silentLogger } from '../../src/log.js';
import { sqliteKind, type TestDatabaseKind } from './databases.js';

export const TEAM = 'T0ACME';
export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The fake clock's origin; `at(ms)` is that many milliseconds later. */
export const T0 = new Date(Date.UTC(2026, 0, 5, 9, 0, 0));
export const at = (ms: number): Date => new Date(T0.getTime() + ms);

export interface DeliveryWorld {
  database: Database;
  db: Db;
}

/** A fresh migrated database (of `kind`) for every test, closed and dropped after it. */
export function deliveryWorld(kind: TestDatabaseKind): DeliveryWorld {
  const world = {} as DeliveryWorld;
  let drop: (() => Promise<void>) | null = null;
  beforeEach(async () => {
    const created = await kind.create();
    drop = created.drop;
    world.database = await openDatabase(created.url, silentLogger());
    world.db = world.database.prisma;
  });
  afterEach(async () => {
    await world.database?.close();
    await drop?.();
    drop = null;
  });
  return world;
}

/**
 * A planner-like transaction on `sql` that has written (so holds SQLite's write lock and Herald's
 * write turn) and goes on holding them across event-loop turns until release(), as the planner does
 * between its statements. `done` settles once it has committed.
 */
export function holdWriteLock(sql: SqlRunner): { release(): void; done: Promise<void> } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const done = sql.transaction(async (tx) => {
    await tx.run('UPDATE "Installation" SET "teamName" = ? WHERE "id" = ?', ['Acme (planning)', TEAM]);
    await held;
  });
  return { release, done };
}

/** A fresh migrated SQLite file with Acme installed, closed and removed after test `t`; its database and path. */
export async function acmeSqlite(t: { after(fn: () => Promise<void>): void }): Promise<{ database: Database; path: string }> {
  const { url, drop } = await sqliteKind.create();
  const database = await openDatabase(url, silentLogger());
  t.after(async () => {
    await database.close();
    await drop();
  });
  await insertInstallation(database.prisma, { id: TEAM });
  return { database, path: sqlitePath(url) };
}

export interface GroupingOverrides {
  groupBy?: string | null;
  groupWaitSeconds?: number | null;
  groupIntervalSeconds?: number | null;
  repeatIntervalSeconds?: number | null;
}

export async function insertInstallation(db: Db, p: { id?: string; active?: boolean } & GroupingOverrides = {}): Promise<string> {
  const id = p.id ?? TEAM;
  await db.installation.create({
    data: {
      id,
      teamId: id,
      teamName: `Team ${id}`,
      secret: '',
      active: p.active ?? true,
      groupBy: p.groupBy ?? null,
      groupWaitSeconds: p.groupWaitSeconds ?? null,
      groupIntervalSeconds: p.groupIntervalSeconds ?? null,
      repeatIntervalSeconds: p.repeatIntervalSeconds ?? null,
    },
  });
  return id;
}

export async function insertChannel(
  db: Db,
  p: { channelId: string; installationId?: string; name?: string; slot?: number; filters?: string; mutedUntil?: Date | null; brokenAt?: Date | null } & GroupingOverrides,
): Promise<Channel> {
  const installationId = p.installationId ?? TEAM;
  const slot = p.slot ?? (await db.channel.count({ where: { installationId } })) + 1;
  return db.channel.create({
    data: {
      installationId,
      channelId: p.channelId,
      name: p.name ?? p.channelId.toLowerCase(),
      addedBy: 'U0ADMIN',
      slot,
      filters: p.filters ?? '',
      mutedUntil: p.mutedUntil ?? null,
      brokenAt: p.brokenAt ?? null,
      brokenReason: p.brokenAt ? 'is_archived' : null,
      groupBy: p.groupBy ?? null,
      groupWaitSeconds: p.groupWaitSeconds ?? null,
      groupIntervalSeconds: p.groupIntervalSeconds ?? null,
      repeatIntervalSeconds: p.repeatIntervalSeconds ?? null,
    },
  });
}

export async function insertSilence(db: Db, p: { matchers: string; startsAt: Date; endsAt: Date; installationId?: string }): Promise<void> {
  await db.silence.create({ data: { installationId: p.installationId ?? TEAM, matchers: p.matchers, createdBy: 'U0ADMIN', startsAt: p.startsAt, endsAt: p.endsAt } });
}

export interface AlertSpec {
  labels: Record<string, string>;
  status?: AlertStatus;
  severity?: Severity;
  /** Defaults to the sorted labels, as Herald derives one when the sender gives none. */
  fingerprint?: string;
  /** Defaults to an Alertmanager-style key of the alertname. */
  groupKey?: string;
  title?: string;
}

/** A normalized Alert, as a parser would produce it. */
export function alert(spec: AlertSpec): Alert {
  const sorted = Object.keys(spec.labels).sort().map((name) => `${name}=${spec.labels[name]}`);
  const severity = spec.severity ?? ((spec.labels.severity as Severity | undefined) ?? 'critical');
  return {
    source: 'alertmanager',
    status: spec.status ?? 'firing',
    severity,
    title: spec.title ?? spec.labels.alertname ?? 'alert',
    text: '',
    labels: spec.labels,
    annotations: {},
    links: [],
    startsAt: T0,
    endsAt: null,
    fingerprint: spec.fingerprint ?? `fp:${sorted.join(',')}`,
    groupKey: spec.groupKey ?? `{}:{alertname="${spec.labels.alertname ?? ''}"}`,
  };
}

export const firing = (labels: Record<string, string>, rest: Omit<AlertSpec, 'labels' | 'status'> = {}): Alert => alert({ ...rest, labels, status: 'firing' });
export const resolved = (labels: Record<string, string>, rest: Omit<AlertSpec, 'labels' | 'status'> = {}): Alert => alert({ ...rest, labels, status: 'resolved' });

/** Accepts alerts as ingest does: IncomingAlert rows, received at `receivedAt`, not processed yet. */
export async function receive(db: Db, receivedAt: Date, alerts: readonly Alert[], installationId = TEAM): Promise<void> {
  await db.incomingAlert.createMany({
    data: alerts.map((a) => incomingAlertRow(a, { installationId, tokenId: 'token-1', externalUrl: 'http://alertmanager.test:9093', receivedAt })),
  });
}

/**
 * Runs the planner at `now` as the worker does (on SQLite, on the writer thread) and returns what
 * it did. While its lock is taken (another planner of the same schema is in a transaction), it
 * tries again, as the worker would.
 */
export async function planResult(database: Database, now: Date, limits?: PlanLimits): Promise<PlanResult> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = await planNextBatch(database, now, limits);
    if (result !== null) return result;
    if (Date.now() > deadline) throw new Error('the planner lock stayed taken for 30 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** planResult's counts: how many alerts it filed and groups it evaluated, and whether a batch was full. */
export async function plan(database: Database, now: Date, limits?: PlanLimits): Promise<Omit<PlanResult, 'behind'>> {
  const { filed, evaluated, more } = await planResult(database, now, limits);
  return { filed, evaluated, more };
}

export const outboxRows = (db: Db): Promise<OutboxMessage[]> => db.outboxMessage.findMany({ orderBy: { id: 'asc' } });

/** The kinds of the outbox rows, in queue order. */
export async function outboxKinds(db: Db, where: { groupId?: string; channelRowId?: string } = {}): Promise<string[]> {
  return (await db.outboxMessage.findMany({ where, orderBy: { id: 'asc' } })).map((row) => row.kind);
}

export const allGroups = (db: Db, where: { channelRowId?: string } = {}): Promise<AlertGroup[]> => db.alertGroup.findMany({ where, orderBy: [{ createdAt: 'asc' }, { groupKey: 'asc' }] });

export const onlyGroup = async (db: Db, where: { channelRowId?: string } = {}): Promise<AlertGroup> => {
  const groups = await allGroups(db, where);
  if (groups.length !== 1) throw new Error(`expected one group, found ${groups.length}`);
  return groups[0] as AlertGroup;
};

let tsCounter = 0;

/**
 * What the worker would do, without Slack: every waiting outbox row is "sent" (deleted); a post
 * gives its group a message ts, and posts and updates make the group's sentVersion its version.
 */
export async function deliverAll(db: Db): Promise<OutboxMessage[]> {
  const rows = await db.outboxMessage.findMany({ where: { deadAt: null }, orderBy: { id: 'asc' } });
  for (const row of rows) {
    if (row.groupId !== null && (row.kind === 'post' || row.kind === 'update')) {
      const group = await db.alertGroup.findUniqueOrThrow({ where: { id: row.groupId } });
      await db.alertGroup.update({
        where: { id: group.id },
        data: { sentVersion: group.version, ...(group.messageTs === null ? { messageTs: `1767600000.${String(++tsCounter).padStart(6, '0')}` } : {}) },
      });
    }
    await db.outboxMessage.delete({ where: { id: row.id } });
  }
  return rows;
}

/** The text of a `reply` or `test` row's payload. */
export function payloadOf(row: OutboxMessage): { text: string; broadcast?: boolean } {
  if (row.payload === null) throw new Error(`outbox row ${row.id} (${row.kind}) has no payload`);
  return JSON.parse(row.payload) as { text: string; broadcast?: boolean };
}
