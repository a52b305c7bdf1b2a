// Accepted alerts are deleted ALERT_RETENTION after delivery filed them, on real databases: filed
// rows older than that go, younger ones and rows not filed yet (however old) stay, a backlog larger
// than one batch goes in one sweep, and the periodic sweep survives a failing database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunks } from '../../src/delivery/chunks.js';
import { startAlertRetention, sweepExpiredAlerts } from '../../src/delivery/retention.js';
import { createLogger } from '../../src/log.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { DAY, HOUR, T0, at, deliveryWorld, firing, insertInstallation, plan, receive, type DeliveryWorld } from '../helpers/delivery.js';
import { eventually } from '../helpers/ingest.js';

const RETENTION = 7 * DAY;

/** Files every accepted alert at `now`, as the worker's planner does (processedAt = now). */
async function fileAll(world: DeliveryWorld, now: Date): Promise<void> {
  while ((await plan(world.database, now)).more);
}

/** `count` alerts accepted at `receivedAt`, titled `title`. */
async function receiveMany(world: DeliveryWorld, receivedAt: Date, title: string, count: number): Promise<void> {
  const alerts = Array.from({ length: count }, (_, i) => firing({ alertname: title, n: String(i) }));
  for (const chunk of chunks(alerts)) await receive(world.db, receivedAt, chunk);
}

/** What the table holds: per title, how many rows are filed and how many are not. */
async function stored(world: DeliveryWorld): Promise<Record<string, { filed: number; unfiled: number }>> {
  const rows = await world.db.incomingAlert.findMany({ select: { title: true, processedAt: true } });
  const byTitle: Record<string, { filed: number; unfiled: number }> = {};
  for (const row of rows) {
    const counts = (byTitle[row.title] ??= { filed: 0, unfiled: 0 });
    if (row.processedAt) counts.filed += 1;
    else counts.unfiled += 1;
  }
  return byTitle;
}

/** A logger whose lines the test reads. */
function recordingLogger() {
  const lines: { level: number; msg: string; deleted?: number; err?: string }[] = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, logged: (level: 'info' | 'warn') => lines.filter((line) => line.level === (level === 'info' ? 30 : 40)) };
}

for (const kind of testDatabaseKinds()) {
  describe(`alert retention (${kind.name})`, () => {
    const world = deliveryWorld(kind);

    it('deletes filed alerts older than the retention and keeps younger ones and unfiled ones, however old', async () => {
      await insertInstallation(world.db);
      await receiveMany(world, T0, 'Old', 3);
      await fileAll(world, T0);
      await receiveMany(world, at(DAY), 'Young', 2);
      await fileAll(world, at(DAY));
      // Accepted a month before the others and never filed (delivery stopped, say).
      await receiveMany(world, at(-30 * DAY), 'Unfiled', 2);
      assert.deepEqual(await stored(world), { Old: { filed: 3, unfiled: 0 }, Young: { filed: 2, unfiled: 0 }, Unfiled: { filed: 0, unfiled: 2 } });

      assert.equal(await sweepExpiredAlerts(world.database, at(RETENTION + HOUR), RETENTION), 3);
      assert.deepEqual(await stored(world), { Young: { filed: 2, unfiled: 0 }, Unfiled: { filed: 0, unfiled: 2 } });

      // Filed exactly the retention ago is not older than it: kept, to the millisecond.
      assert.equal(await sweepExpiredAlerts(world.database, at(RETENTION + DAY), RETENTION), 0);
      assert.deepEqual(await stored(world), { Young: { filed: 2, unfiled: 0 }, Unfiled: { filed: 0, unfiled: 2 } });
      assert.equal(await sweepExpiredAlerts(world.database, at(RETENTION + DAY + 1), RETENTION), 2);

      assert.equal(await sweepExpiredAlerts(world.database, at(365 * DAY), RETENTION), 0);
      assert.deepEqual(await stored(world), { Unfiled: { filed: 0, unfiled: 2 } });
    });

    it('deletes a backlog larger than one batch in one sweep', async () => {
      await insertInstallation(world.db);
      await receiveMany(world, T0, 'Old', 2_500);
      await fileAll(world, T0);
      await receiveMany(world, T0, 'Unfiled', 1);

      assert.equal(await sweepExpiredAlerts(world.database, at(RETENTION + 1), RETENTION, { batchSize: 1_000 }), 2_500);
      assert.deepEqual(await stored(world), { Unfiled: { filed: 0, unfiled: 1 } });
    });

    it('ends a sweep that is stopped after the batch in progress; the next sweep deletes the rest', async () => {
      await insertInstallation(world.db);
      await receiveMany(world, T0, 'Old', 2_500);
      await fileAll(world, T0);

      const stopping = new AbortController();
      stopping.abort();
      assert.equal(await sweepExpiredAlerts(world.database, at(RETENTION + 1), RETENTION, { batchSize: 1_000, signal: stopping.signal }), 1_000);
      assert.deepEqual(await stored(world), { Old: { filed: 1_500, unfiled: 0 } });
      assert.equal(await sweepExpiredAlerts(world.database, at(RETENTION + 1), RETENTION, { batchSize: 1_000 }), 1_500);
      assert.deepEqual(await stored(world), {});
    });

    it('sweeps on a timer and logs what it deleted; a failing database is a warning, and the next sweep deletes', async () => {
      await insertInstallation(world.db);
      await receiveMany(world, T0, 'Old', 5);
      await fileAll(world, new Date(Date.now() - 2 * DAY));
      const { log, logged } = recordingLogger();

      // Take the table away: every sweep fails, as in an outage.
      await world.db.$executeRawUnsafe('ALTER TABLE "IncomingAlert" RENAME TO "IncomingAlertAway"');
      const stop = startAlertRetention({ database: world.database, log, retentionMs: DAY }, { firstAfterMs: 0, everyMs: 20 });
      try {
        await eventually(async () => logged('warn').length >= 2, 'two failed sweeps logged');
        assert.match(logged('warn')[0]?.msg ?? '', /could not delete expired alerts; will retry/);
        assert.ok(logged('warn')[0]?.err, 'the database error is in the warning');
      } finally {
        await world.db.$executeRawUnsafe('ALTER TABLE "IncomingAlertAway" RENAME TO "IncomingAlert"');
      }
      await eventually(async () => (await world.db.incomingAlert.count()) === 0, 'the expired alerts deleted once the table is back');
      await stop();
      const deletions = logged('info');
      assert.deepEqual(
        deletions.map((line) => line.deleted),
        [5],
        'one info line, for the sweep that deleted; sweeps that deleted nothing are quiet',
      );
      assert.match(deletions[0]?.msg ?? '', /deleted accepted alerts filed longer ago than ALERT_RETENTION/);

      await receiveMany(world, T0, 'AfterStop', 2);
      await fileAll(world, new Date(Date.now() - 2 * DAY));
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(await stored(world), { AfterStop: { filed: 2, unfiled: 0 } }, 'no sweep after stop');
    });
  });
}
