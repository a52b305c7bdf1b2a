// History is deleted ALERT_RETENTION after its work is done, on real databases: accepted alerts after
// delivery filed them, resolved groups and their alerts once nothing is queued for them, dead
// letters, ended silences. What is younger, or still to be done however old, stays; a backlog
// larger than one batch goes in one sweep; the periodic sweep survives a failing database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunks } from '../../src/delivery/chunks.js';
import { startRetention, sweepHistory, type SweepCounts } from '../../src/delivery/retention.js';
import { createLogger } from '../../src/log.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import {
  DAY,
  HOUR,
  SECOND,
  T0,
  TEAM,
  at,
  deliverAll,
  deliveryWorld,
  firing,
  insertChannel,
  insertInstallation,
  insertSilence,
  onlyGroup,
  outboxRows,
  payloadOf,
  plan,
  receive,
  resolved,
  type DeliveryWorld,
} from '../helpers/delivery.js';
import { eventually } from '../helpers/ingest.js';

const RETENTION = 7 * DAY;
const NOTHING: SweepCounts = { alerts: 0, groupAlerts: 0, groups: 0, deadLetters: 0, silences: 0 };

/** Files every accepted alert at `now`, as the worker's planner does (processedAt = now). */
async function fileAll(world: DeliveryWorld, now: Date): Promise<void> {
  while ((await plan(world.database, now)).more);
}

/** `count` alerts accepted at `receivedAt`, titled `title`: firing, or the same alerts resolved. */
async function receiveMany(world: DeliveryWorld, receivedAt: Date, title: string, count: number, status: typeof firing = firing): Promise<void> {
  const alerts = Array.from({ length: count }, (_, i) => status({ alertname: title, n: String(i) }));
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

/** How many alerts each group holds, by the alertname it is grouped by. */
async function groupsByTitle(world: DeliveryWorld): Promise<Record<string, number>> {
  const groups = await world.db.alertGroup.findMany({ select: { groupLabels: true, _count: { select: { alerts: true } } } });
  return Object.fromEntries(groups.map((group) => [(JSON.parse(group.groupLabels) as { alertname: string }).alertname, group._count.alerts]));
}

/** A logger whose lines the test reads. */
function recordingLogger() {
  const lines: { level: number; msg: string; deleted?: SweepCounts; err?: string }[] = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, logged: (level: 'info' | 'warn') => lines.filter((line) => line.level === (level === 'info' ? 30 : 40)) };
}

for (const kind of testDatabaseKinds()) {
  describe(`retention (${kind.name})`, () => {
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

      assert.deepEqual(await sweepHistory(world.database, at(RETENTION + HOUR), RETENTION), { ...NOTHING, alerts: 3 });
      assert.deepEqual(await stored(world), { Young: { filed: 2, unfiled: 0 }, Unfiled: { filed: 0, unfiled: 2 } });

      // Filed exactly the retention ago is not older than it: kept, to the millisecond.
      assert.deepEqual(await sweepHistory(world.database, at(RETENTION + DAY), RETENTION), NOTHING);
      assert.deepEqual(await stored(world), { Young: { filed: 2, unfiled: 0 }, Unfiled: { filed: 0, unfiled: 2 } });
      assert.deepEqual(await sweepHistory(world.database, at(RETENTION + DAY + 1), RETENTION), { ...NOTHING, alerts: 2 });

      assert.deepEqual(await sweepHistory(world.database, at(365 * DAY), RETENTION), NOTHING);
      assert.deepEqual(await stored(world), { Unfiled: { filed: 0, unfiled: 2 } });
    });

    it('deletes a backlog larger than one batch in one sweep', async () => {
      await insertInstallation(world.db);
      await receiveMany(world, T0, 'Old', 2_500);
      await fileAll(world, T0);
      await receiveMany(world, T0, 'Unfiled', 1);

      assert.deepEqual(await sweepHistory(world.database, at(RETENTION + 1), RETENTION, { batchSize: 1_000 }), { ...NOTHING, alerts: 2_500 });
      assert.deepEqual(await stored(world), { Unfiled: { filed: 0, unfiled: 1 } });
    });

    it('ends a sweep that is stopped after the batch in progress; the next sweep deletes the rest', async () => {
      await insertInstallation(world.db);
      await receiveMany(world, T0, 'Old', 2_500);
      await fileAll(world, T0);

      const stopping = new AbortController();
      stopping.abort();
      assert.deepEqual(await sweepHistory(world.database, at(RETENTION + 1), RETENTION, { batchSize: 1_000, signal: stopping.signal }), { ...NOTHING, alerts: 1_000 });
      assert.deepEqual(await stored(world), { Old: { filed: 1_500, unfiled: 0 } });
      assert.deepEqual(await sweepHistory(world.database, at(RETENTION + 1), RETENTION, { batchSize: 1_000 }), { ...NOTHING, alerts: 1_500 });
      assert.deepEqual(await stored(world), {});
    });

    it('sweeps on a timer and logs what it deleted; a failing database is a warning, and the next sweep deletes', async () => {
      await insertInstallation(world.db);
      await receiveMany(world, T0, 'Old', 5);
      await fileAll(world, new Date(Date.now() - 2 * DAY));
      const { log, logged } = recordingLogger();

      // Take the table away: every sweep fails, as in an outage.
      await world.db.$executeRawUnsafe('ALTER TABLE "IncomingAlert" RENAME TO "IncomingAlertAway"');
      const stop = startRetention({ database: world.database, log, retentionMs: DAY }, { firstAfterMs: 0, everyMs: 20 });
      try {
        await eventually(async () => logged('warn').length >= 2, 'two failed sweeps logged');
        assert.match(logged('warn')[0]?.msg ?? '', /could not delete expired history; will retry/);
        assert.ok(logged('warn')[0]?.err, 'the database error is in the warning');
      } finally {
        await world.db.$executeRawUnsafe('ALTER TABLE "IncomingAlertAway" RENAME TO "IncomingAlert"');
      }
      await eventually(async () => (await world.db.incomingAlert.count()) === 0, 'the expired alerts deleted once the table is back');
      await stop();
      const deletions = logged('info');
      assert.deepEqual(
        deletions.map((line) => line.deleted),
        [{ ...NOTHING, alerts: 5 }],
        'one info line, for the sweep that deleted; sweeps that deleted nothing are quiet',
      );
      assert.match(deletions[0]?.msg ?? '', /deleted history older than ALERT_RETENTION/);

      await receiveMany(world, T0, 'AfterStop', 2);
      await fileAll(world, new Date(Date.now() - 2 * DAY));
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(await stored(world), { AfterStop: { filed: 2, unfiled: 0 } }, 'no sweep after stop');
    });

    it('deletes a resolved group and its alerts once nothing is queued for it; open, younger and still-told groups stay', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      await insertChannel(db, { channelId: 'C0ALERTS' });
      // Old resolves at 1 h; Open keeps firing; Young resolves at 3 days. All first fire at T0.
      await receive(db, T0, [firing({ alertname: 'Old', n: '1' }), firing({ alertname: 'Old', n: '2' }), firing({ alertname: 'Open' }), firing({ alertname: 'Young' })]);
      await fileAll(world, T0);
      await fileAll(world, at(10 * SECOND)); // group_wait: the three posts
      await deliverAll(db);
      await receive(db, at(HOUR), [resolved({ alertname: 'Old', n: '1' }), resolved({ alertname: 'Old', n: '2' })]);
      await fileAll(world, at(HOUR));
      const [update, reply] = await outboxRows(db);
      assert.equal(update?.kind, 'update');
      assert.ok(reply?.kind === 'reply');
      await receive(db, at(3 * DAY), [resolved({ alertname: 'Young' })]);
      await fileAll(world, at(3 * DAY));
      // Old's update was sent, and Young's calls; Old's resolved reply is still queued (a rate limit, an outage).
      await db.outboxMessage.deleteMany({ where: { id: { not: reply.id } } });
      assert.deepEqual(await groupsByTitle(world), { Old: 2, Open: 1, Young: 1 });

      const afterOld = at(HOUR + RETENTION + 1);
      assert.deepEqual(await sweepHistory(database, afterOld, RETENTION), { ...NOTHING, alerts: 6 }, 'the alerts filed at T0 and 1 h go');
      assert.deepEqual(await groupsByTitle(world), { Old: 2, Open: 1, Young: 1 }, 'a group with a call still queued stays');

      // The reply dies (DELIVERY_DEADLINE): nothing is left to tell, and the dead letter is kept on its own clock.
      await db.outboxMessage.update({ where: { id: reply.id }, data: { deadAt: at(2 * HOUR), deadReason: 'deadline' } });
      assert.deepEqual(await sweepHistory(database, afterOld, RETENTION), { ...NOTHING, groupAlerts: 2, groups: 1 });
      assert.deepEqual(await groupsByTitle(world), { Open: 1, Young: 1 }, 'Open fires since T0 and stays');
      assert.equal(await db.outboxMessage.count(), 1, 'the dead letter stays until its own retention');

      // Resolved exactly the retention ago is not older than it: kept, to the millisecond.
      assert.deepEqual(await sweepHistory(database, at(3 * DAY + RETENTION), RETENTION), { ...NOTHING, deadLetters: 1 });
      assert.deepEqual(await groupsByTitle(world), { Open: 1, Young: 1 });
      assert.deepEqual(await sweepHistory(database, at(3 * DAY + RETENTION + 1), RETENTION), { ...NOTHING, alerts: 1, groupAlerts: 1, groups: 1 });
      assert.deepEqual(await groupsByTitle(world), { Open: 1 });
      assert.equal(await db.outboxMessage.count(), 0);
    });

    it('deletes the alerts of a large resolved group batch by batch, and the group only once none are left', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      await insertChannel(db, { channelId: 'C0ALERTS' });
      await receiveMany(world, T0, 'Big', 2_500);
      await fileAll(world, T0);
      await fileAll(world, at(10 * SECOND));
      await deliverAll(db);
      await receiveMany(world, at(HOUR), 'Big', 2_500, resolved);
      await fileAll(world, at(HOUR)); // the first pieces update the message…
      await deliverAll(db);
      await fileAll(world, at(2 * HOUR)); // …and a group_interval later the group closes
      await deliverAll(db);
      assert.equal((await onlyGroup(db)).status, 'resolved');
      const later = at(2 * HOUR + RETENTION + 1);

      // Stopped after its first batch of the group's alerts: the group and the rest of its alerts stay
      // (no cascade deletes them in one go).
      await db.incomingAlert.deleteMany(); // the accepted alerts' own sweep is tested above
      const stopping = new AbortController();
      stopping.abort();
      assert.deepEqual(await sweepHistory(database, later, RETENTION, { batchSize: 1_000, signal: stopping.signal }), { ...NOTHING, groupAlerts: 1_000 });
      assert.deepEqual(await groupsByTitle(world), { Big: 1_500 });

      assert.deepEqual(await sweepHistory(database, later, RETENTION, { batchSize: 1_000 }), { ...NOTHING, groupAlerts: 1_500, groups: 1 });
      assert.deepEqual(await groupsByTitle(world), {});
    });

    it('deletes dead letters and silences that ended before the cutoff; letters being delivered and silences in force stay', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      const channel = await insertChannel(db, { channelId: 'C0ALERTS' });
      const letter = (name: string, deadAt: Date | null) =>
        db.outboxMessage.create({ data: { installationId: TEAM, channelRowId: channel.id, kind: 'test', payload: JSON.stringify({ text: name }), createdAt: T0, deadAt, deadReason: deadAt ? 'deadline' : null } });
      await letter('dead long ago', T0);
      await letter('dead lately', at(RETENTION));
      await letter('still trying since T0', null);
      await insertSilence(db, { matchers: 'alertname=EndedLongAgo', startsAt: T0, endsAt: at(HOUR) });
      await insertSilence(db, { matchers: 'alertname=EndedLately', startsAt: T0, endsAt: at(RETENTION) });
      await insertSilence(db, { matchers: 'alertname=ForAYear', startsAt: T0, endsAt: at(365 * DAY) });

      assert.deepEqual(await sweepHistory(database, at(RETENTION + HOUR + 1), RETENTION), { ...NOTHING, deadLetters: 1, silences: 1 });
      const letters = await db.outboxMessage.findMany({ orderBy: { id: 'asc' } });
      assert.deepEqual(letters.map((row) => payloadOf(row).text), ['dead lately', 'still trying since T0']);
      const silences = await db.silence.findMany({ orderBy: { endsAt: 'asc' } });
      assert.deepEqual(silences.map((silence) => silence.matchers), ['alertname=EndedLately', 'alertname=ForAYear']);
    });
  });
}
