// The accept stores on their own, on each database: what a batch stores and what it calls a repeat
// (a copy within the batch, a digest seen within the repeat window), and two stores on one database
// (two Herald processes) committing the same notifications at the same moment store each once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Database } from '../../src/db/database.js';
import { prepareAcceptance } from '../../src/ingest/accept/acceptance.js';
import { openAcceptStore } from '../../src/ingest/accept/stores/index.js';
import { parsePayload } from '../../src/ingest/parse.js';
import { alertmanagerPayload } from '../helpers/alerts.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { deliveryWorld, insertInstallation } from '../helpers/delivery.js';

const WINDOW_MS = 60_000;

/** A notification's body: the same body sent again is a repeat (its alerts' startsAt is fixed here). */
function notification(instances: string[], alertname = 'DiskFull'): string {
  return alertmanagerPayload(instances.map((instance) => ({ alertname, instance })));
}

/** One request's acceptance of `body`, with rows of its own as each request has. */
function accepted(body: string) {
  const now = new Date();
  return prepareAcceptance({ installationId: 'T0ACME', tokenId: 'tok', format: 'alertmanager', payload: parsePayload('alertmanager', JSON.parse(body), now), receivedAt: now });
}

for (const kind of testDatabaseKinds()) {
  describe(`accept store on ${kind.name}`, () => {
    const world = deliveryWorld(kind);

    /** The world's database, with the installation the notifications belong to. */
    async function database(): Promise<Database> {
      await insertInstallation(world.db, { id: 'T0ACME' });
      return world.database;
    }

    it('stores a batch, and calls a copy within the batch a repeat of its first', async (t) => {
      const db = await database();
      const store = openAcceptStore(db);
      t.after(() => store.close());
      const disk = notification(['a:9100', 'b:9100']);
      const outcomes = await store.commit([accepted(disk), accepted(notification(['c:9100'], 'CpuHigh')), accepted(disk)], new Date(), WINDOW_MS);
      assert.deepEqual(outcomes, [
        { accepted: 2, duplicates: 0 },
        { accepted: 1, duplicates: 0 },
        { accepted: 0, duplicates: 2 },
      ]);
      const rows = await db.prisma.incomingAlert.findMany();
      assert.equal(rows.length, 3);
      assert.deepEqual(rows.map((row) => row.title).sort(), ['CpuHigh on c:9100', 'DiskFull on a:9100', 'DiskFull on b:9100']);
      assert.equal(await db.prisma.payloadDigest.count(), 2);
    });

    it('calls a notification seen within the repeat window a repeat, and stores it again after', async (t) => {
      const db = await database();
      const store = openAcceptStore(db);
      t.after(() => store.close());
      const disk = notification(['a:9100']);
      const t0 = new Date();
      assert.deepEqual(await store.commit([accepted(disk)], t0, WINDOW_MS), [{ accepted: 1, duplicates: 0 }]);
      const justInside = new Date(t0.getTime() + WINDOW_MS - 1);
      assert.deepEqual(await store.commit([accepted(disk)], justInside, WINDOW_MS), [{ accepted: 0, duplicates: 1 }]);
      const after = new Date(t0.getTime() + WINDOW_MS + 1);
      assert.deepEqual(await store.commit([accepted(disk)], after, WINDOW_MS), [{ accepted: 1, duplicates: 0 }]);
      assert.equal(await db.prisma.incomingAlert.count(), 2);
      // The repeat inside the window did not extend it; the copy after it did.
      const digest = await db.prisma.payloadDigest.findFirstOrThrow();
      assert.equal(digest.lastSeenAt.getTime(), after.getTime());
    });

    it('stores each notification once when two stores (two processes) commit it at the same moment', async (t) => {
      const db = await database();
      const first = openAcceptStore(db);
      const second = openAcceptStore(db);
      t.after(async () => {
        await first.close();
        await second.close();
      });
      const notifications = Array.from({ length: 20 }, (_, i) => notification([`host-${i}:9100`, `host-${i}:9200`], `Alert${i}`));
      const now = new Date();
      const results = await Promise.all(notifications.map((n) => Promise.all([first.commit([accepted(n)], now, WINDOW_MS), second.commit([accepted(n)], now, WINDOW_MS)])));
      for (const [[a], [b]] of results) {
        assert.deepEqual([a?.accepted, b?.accepted].sort(), [0, 2], 'one store stored both alerts, the other called them repeats');
      }
      assert.equal(await db.prisma.incomingAlert.count(), 40);
    });
  });
}
