// Herald's own SQLite writes outside Prisma run on one writer thread (src/db/sqliteWriter): ingest's
// commits and the delivery planner's transactions, taking turns. These tests hold it to what
// ingest and delivery rely on: a batch is stored when its promise resolves, repeats are
// recognised, a failing thread fails its calls (503, retried) instead of hanging them, commits
// wait for the planner's turn rather than fail, a planner transaction commits or rolls back whole,
// and BEGIN gives up as SqlBusy when another process holds the lock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { SqlBusy } from '../../src/db/sql.js';
import { openSqliteWriter } from '../../src/db/sqliteWriter/client.js';
import { inWriteTurn } from '../../src/db/sqliteWriteTurns.js';
import { prepareAcceptance } from '../../src/ingest/accept/acceptance.js';
import { sqliteAcceptStore } from '../../src/ingest/accept/stores/sqliteAcceptStore.js';
import { parsePayload } from '../../src/ingest/parse.js';
import { alertmanagerPayload } from '../helpers/alerts.js';
import { acmeSqlite, holdWriteLock, TEAM } from '../helpers/delivery.js';

/** A migrated SQLite file with Acme installed and a writer thread of its own: how many alerts another connection reads in it, and its team name. */
async function sqliteFile(t: { after(fn: () => Promise<void>): void }) {
  const { database, path } = await acmeSqlite(t);
  const writer = openSqliteWriter(path);
  t.after(() => writer.close());
  return {
    path,
    writer,
    count: () => database.prisma.incomingAlert.count(),
    teamName: async () => (await database.prisma.installation.findUniqueOrThrow({ where: { id: TEAM } })).teamName,
  };
}

function acceptance(instances: string[]) {
  const now = new Date();
  const body = JSON.parse(alertmanagerPayload(instances.map((instance) => ({ alertname: 'DiskFull', instance }))));
  return prepareAcceptance({ installationId: 'T0ACME', tokenId: 'tok', format: 'alertmanager', payload: parsePayload('alertmanager', body, now), receivedAt: now });
}

describe('SQLite writer thread', () => {
  it("stores ingest's batch before its promise resolves, and knows a repeat", async (t) => {
    const file = await sqliteFile(t);
    const store = sqliteAcceptStore(file.writer);
    const first = acceptance(['a:9100', 'b:9100']);
    const outcomes = await store.commit([first, acceptance(['c:9100'])], new Date(), 60_000);
    assert.deepEqual(outcomes, [
      { accepted: 2, duplicates: 0 },
      { accepted: 1, duplicates: 0 },
    ]);
    assert.equal(await file.count(), 3, 'read through another connection as soon as the commit resolved');
    const [repeat] = await store.commit([first], new Date(), 60_000);
    assert.deepEqual(repeat, { accepted: 0, duplicates: 2 });
    assert.equal(await file.count(), 3);
  });

  it('fails the calls of a thread that cannot open its file, with the cause, instead of leaving them waiting', async () => {
    const writer = openSqliteWriter('/nonexistent-directory/herald.db');
    const store = sqliteAcceptStore(writer);
    await assert.rejects(store.commit([acceptance(['a:9100'])], new Date(), 60_000), /unable to open database file|directory does not exist/);
    // The next call gets a new thread, which fails the same way rather than hanging.
    await assert.rejects(
      writer.sql.transaction(async () => undefined),
      /unable to open database file|directory does not exist/,
    );
    await writer.close();
  });

  it('holds commits back while the planner has its turn, then stores them all', async (t) => {
    const file = await sqliteFile(t);
    const store = sqliteAcceptStore(file.writer);
    // A planner transaction that holds the write lock across event-loop turns; ingest commits
    // submitted meanwhile queue behind it and then all succeed.
    const planning = holdWriteLock(file.writer.sql);
    const commits = Array.from({ length: 5 }, (_, i) => store.commit([acceptance([`n${i}:9100`])], new Date(), 60_000));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await file.count(), 0, 'no commit got past the planner holding its turn');
    planning.release();
    await planning.done;
    assert.equal((await Promise.all(commits)).length, 5);
    assert.equal(await file.count(), 5);
    assert.equal(await file.teamName(), 'Acme (planning)', "the planner's transaction committed");
  });

  it("commits a planner transaction's statements together, or none of them", async (t) => {
    const file = await sqliteFile(t);
    const planner = file.writer.sql;
    const rename = 'UPDATE "Installation" SET "teamName" = ? WHERE "id" = ?';
    await assert.rejects(
      planner.transaction(async (tx) => {
        assert.equal(await tx.run(rename, ['Acme (rolled back)', TEAM]), 1);
        const [row] = await tx.query<{ teamName: string }>('SELECT "teamName" FROM "Installation" WHERE "id" = ?', [TEAM]);
        assert.equal(row?.teamName, 'Acme (rolled back)', 'the transaction reads its own write');
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    assert.equal(await file.teamName(), 'Team T0ACME', 'rolled back');
    await assert.rejects(
      planner.transaction((tx) => tx.run('UPDATE "NoSuchTable" SET "x" = 1', [])),
      /no such table/,
    );
    const renamed = await planner.transaction(async (tx) => tx.run(rename, ['Acme (committed)', TEAM]));
    assert.equal(renamed, 1);
    assert.equal(await file.teamName(), 'Acme (committed)', 'a failed statement left no transaction open behind it');
  });

  it("gives up as SqlBusy while another process's writer holds the lock, and plans once it is free", async (t) => {
    const file = await sqliteFile(t);
    const planner = file.writer.sql;
    // Another process's connection: outside Herald's write turns, met only at SQLite's lock.
    const other = new BetterSqlite3(file.path);
    t.after(() => void other.close());
    other.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    let ticks = 0;
    const counter = setInterval(() => ticks++, 50);
    try {
      await assert.rejects(planner.transaction(async () => undefined), SqlBusy);
    } finally {
      clearInterval(counter);
    }
    const waitedMs = performance.now() - started;
    assert.ok(waitedMs >= 4_000, `BEGIN waited for the lock (${Math.round(waitedMs)} ms)`);
    assert.ok(ticks >= (waitedMs / 50) * 0.5, 'the request thread ran its timers while the writer thread waited');
    other.exec('ROLLBACK');
    assert.equal(await planner.transaction(async (tx) => tx.run('UPDATE "Installation" SET "teamName" = ? WHERE "id" = ?', ['Acme (later)', TEAM])), 1);
  });
});

describe('inWriteTurn', () => {
  it('runs the writers of one file one at a time, in the order they came, and goes on after one fails', async () => {
    const order: string[] = [];
    const step = (name: string, ms: number, fail = false) =>
      inWriteTurn('/tmp/turns-test.db', async () => {
        order.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        order.push(`${name} end`);
        if (fail) throw new Error(`${name} failed`);
        return name;
      });
    const results = await Promise.allSettled([step('a', 30), step('b', 5, true), step('c', 1)]);
    assert.deepEqual(order, ['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
  });

  it("lets a team's writers share a turn while nobody else waits, and queues them behind anyone who does", async () => {
    const order: string[] = [];
    const ends = new Map<string, () => void>();
    const step = (name: string, team?: string) =>
      inWriteTurn(
        '/tmp/teams-test.db',
        async () => {
          order.push(`${name} start`);
          await new Promise<void>((resolve) => ends.set(name, resolve));
          order.push(`${name} end`);
        },
        { team },
      );
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    const writers = [step('ingest 1', 'ingest'), step('ingest 2', 'ingest')];
    await settle();
    assert.deepEqual(order, ['ingest 1 start', 'ingest 2 start'], 'one team, one turn');
    writers.push(step('planner'));
    writers.push(step('ingest 3', 'ingest'), step('ingest 4', 'ingest'));
    await settle();
    assert.deepEqual(order, ['ingest 1 start', 'ingest 2 start'], 'the planner waits for the turn to end; ingest 3 waits behind the planner');
    ends.get('ingest 1')?.();
    await settle();
    assert.equal(order.includes('planner start'), false, 'a turn ends when the last of its team is done');
    ends.get('ingest 2')?.();
    await settle();
    assert.deepEqual(order.slice(-2), ['ingest 2 end', 'planner start']);
    ends.get('planner')?.();
    await settle();
    assert.deepEqual(order.slice(-3), ['planner end', 'ingest 3 start', 'ingest 4 start'], 'the team queued behind the planner goes together');
    ends.get('ingest 3')?.();
    ends.get('ingest 4')?.();
    await Promise.all(writers);
  });

  it('lets writers of different files run at once', async () => {
    const order: string[] = [];
    const step = (path: string, ms: number) =>
      inWriteTurn(path, async () => {
        order.push(`${path} start`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        order.push(`${path} end`);
      });
    await Promise.all([step('/tmp/one.db', 20), step('/tmp/two.db', 1)]);
    assert.deepEqual(order, ['/tmp/one.db start', '/tmp/two.db start', '/tmp/two.db end', '/tmp/one.db end']);
  });
});
