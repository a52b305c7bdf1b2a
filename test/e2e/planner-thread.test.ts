// Herald plans delivery on a thread of its own (plannerOnThread.ts), with its own connection. These
// tests hold that thread to what the worker relies on: a batch it plans is committed when its
// promise resolves, on both databases; on SQLite it waits for its write turn like every other
// writer of the file; and a thread that cannot open its database fails the batch with the cause
// instead of leaving the worker waiting.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { takeWriteTurn } from '../../src/db/sqliteWriteTurns.js';
import { DEFAULT_PLAN_LIMITS } from '../../src/delivery/planner.js';
import { plannerOnThread } from '../../src/delivery/plannerOnThread.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { acmeSqlite, allGroups, deliveryWorld, firing, insertChannel, insertInstallation, MINUTE, outboxKinds, receive, T0, at } from '../helpers/delivery.js';

for (const kind of testDatabaseKinds()) {
  describe(`the delivery planner thread (${kind.name})`, () => {
    const world = deliveryWorld(kind);

    it('files accepted alerts and queues the post of a group that fell due, committed when the promise resolves', async (t) => {
      await insertInstallation(world.db);
      await insertChannel(world.db, { channelId: 'C0ALERTS' });
      await receive(world.db, T0, [firing({ alertname: 'DiskFull', instance: 'a' }), firing({ alertname: 'DiskFull', instance: 'b' })]);
      const planner = plannerOnThread(world.url);
      t.after(() => planner.close());

      const first = await planner.plan(T0, DEFAULT_PLAN_LIMITS[kind.name]);
      assert.deepEqual(first, { filed: 2, evaluated: 0, more: false, behind: false });
      assert.equal((await allGroups(world.db)).length, 1, 'read through another connection as soon as the batch resolved');
      assert.equal(await world.db.incomingAlert.count({ where: { processedAt: null } }), 0);

      // A minute later, past group_wait (10 s by default), the group is due: its first message is queued.
      const later = await planner.plan(at(MINUTE), DEFAULT_PLAN_LIMITS[kind.name]);
      assert.equal(later?.evaluated, 1);
      assert.deepEqual(await outboxKinds(world.db), ['post']);
    });
  });
}

describe('the delivery planner thread (SQLite)', () => {
  it('waits for its write turn: a batch asked for while another writer of the file has one runs after it', async (t) => {
    const { database, url, path } = await acmeSqlite(t);
    await insertChannel(database.prisma, { channelId: 'C0ALERTS' });
    await receive(database.prisma, T0, [firing({ alertname: 'DiskFull' })]);
    const planner = plannerOnThread(url);
    t.after(() => planner.close());

    const endTurn = await takeWriteTurn(path);
    let planned = false;
    const planning = planner.plan(T0, DEFAULT_PLAN_LIMITS.sqlite).then((result) => ((planned = true), result));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(planned, false, 'the batch waited for the turn');
    assert.equal(await database.prisma.incomingAlert.count({ where: { processedAt: null } }), 1);
    endTurn();
    assert.equal((await planning)?.filed, 1);
  });

  it('fails a batch with the cause when its thread cannot open the database, and the next batch tries a new thread', async () => {
    const planner = plannerOnThread('file:/nonexistent-directory/herald.db');
    for (let attempt = 0; attempt < 2; attempt++) {
      await assert.rejects(planner.plan(T0, DEFAULT_PLAN_LIMITS.sqlite), /unable to open database file|directory does not exist/);
    }
    await planner.close();
  });
});
