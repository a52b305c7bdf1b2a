// Prisma's SQLite connection writes in Herald's write turns (src/db/sqliteTurnAdapter.ts). Its driver
// is synchronous: before, a Prisma write that met the lock held by another of Herald's writers sat
// in SQLite's busy handler with the whole thread blocked, so the holder could not even finish. Here
// a planner transaction holds the lock across event-loop turns, as the real one does between its
// statements, and Prisma's writes wait for it without blocking anything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Database } from '../../src/db/database.js';
import { inWriteTurn } from '../../src/db/sqliteWriteTurns.js';
import { acmeSqlite, holdWriteLock, TEAM } from '../helpers/delivery.js';

const teamName = async (database: Database) => (await database.prisma.installation.findUniqueOrThrow({ where: { id: TEAM } })).teamName;
const ticks = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Prisma's SQLite writes take Herald's write turns", () => {
  it('waits for the turn of a writer holding the lock without blocking the thread, then writes', async (t) => {
    const { database } = await acmeSqlite(t);
    const planner = holdWriteLock(database.sql);
    let written = false;
    const write = database.prisma.installation.update({ where: { id: TEAM }, data: { teamName: 'Acme (renamed)' } }).then(() => (written = true));
    const before = performance.now();
    await ticks(50);
    // Blocked in the busy handler, the thread would not have run this timer for up to 10 s.
    assert.ok(performance.now() - before < 1_000, 'the thread went on while the write waited');
    assert.equal(written, false, 'the write waits for the planner to finish');
    assert.equal(await teamName(database), 'Team T0ACME', 'reads go through while a writer holds the lock');
    planner.release();
    await planner.done;
    await write;
    assert.equal(await teamName(database), 'Acme (renamed)');
  });

  it('holds one turn for a whole interactive transaction, and gives it back on commit and on rollback', async (t) => {
    const { database, path } = await acmeSqlite(t);
    const order: string[] = [];
    let finish!: () => void;
    const inside = new Promise<void>((resolve) => (finish = resolve));
    const transaction = database.prisma.$transaction(async (tx) => {
      await tx.installation.update({ where: { id: TEAM }, data: { teamName: 'Acme (in transaction)' } });
      order.push('transaction wrote');
      await inside;
      await tx.installation.update({ where: { id: TEAM }, data: { teamName: 'Acme (committed)' } });
    });
    await ticks(20);
    const other = inWriteTurn(path, async () => void order.push('other writer ran'));
    await ticks(20);
    assert.deepEqual(order, ['transaction wrote'], 'no other writer runs while the transaction is open');
    finish();
    await transaction;
    await other;
    assert.deepEqual(order, ['transaction wrote', 'other writer ran']);
    assert.equal(await teamName(database), 'Acme (committed)');

    await assert.rejects(
      database.prisma.$transaction(async (tx) => {
        await tx.installation.update({ where: { id: TEAM }, data: { teamName: 'Acme (rolled back)' } });
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    await inWriteTurn(path, async () => undefined); // the turn came back: this would wait for ever otherwise
    assert.equal(await teamName(database), 'Acme (committed)');
  });
});
