// Which channels accepted alerts reach, on real databases with a fake clock: channel filters,
// mutes, Herald silences, broken channels and uninstalled workspaces, as the planner applies them
// when it files IncomingAlert rows into groups. No worker runs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testDatabaseKinds } from '../helpers/databases.js';
import {
  HOUR,
  MINUTE,
  SECOND,
  T0,
  allGroups,
  at,
  deliverAll,
  deliveryWorld,
  firing,
  insertChannel,
  insertInstallation,
  insertSilence,
  onlyGroup,
  outboxKinds,
  payloadOf,
  plan,
  receive,
  resolved,
} from '../helpers/delivery.js';

const labelsOf = (group: { groupLabels: string }) => JSON.parse(group.groupLabels) as Record<string, string>;

for (const kind of testDatabaseKinds()) {
  describe(`delivery routing (${kind.name})`, () => {
    const world = deliveryWorld(kind);

    /** The alertnames of the open groups of each channel, by Slack channel ID. */
    async function alertnamesByChannel(): Promise<Record<string, string[]>> {
      const channels = await world.db.channel.findMany({ include: { alertGroups: { where: { openKey: { not: null } } } }, orderBy: { slot: 'asc' } });
      return Object.fromEntries(channels.map((c) => [c.channelId, c.alertGroups.map((g) => labelsOf(g).alertname ?? '').sort()]));
    }

    it('sends a firing alert only to the channels whose filters match', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      await insertChannel(db, { channelId: 'C0ALL' });
      await insertChannel(db, { channelId: 'C0CRIT', filters: 'severity>=critical' });
      await insertChannel(db, { channelId: 'C0DB', filters: 'team=db' });
      await insertChannel(db, { channelId: 'C0DBCRIT', filters: 'severity>=critical team=db' });
      await insertChannel(db, { channelId: 'C0PROD', filters: 'env=~"prod.*" env!=production-eu' });

      await receive(db, T0, [
        firing({ alertname: 'DiskFull', team: 'db', severity: 'warning' }),
        firing({ alertname: 'CpuHigh', team: 'web', severity: 'critical', env: 'production-us' }),
        firing({ alertname: 'MemHigh', team: 'db', severity: 'critical', env: 'production-eu' }),
        firing({ alertname: 'Info', severity: 'info' }),
      ]);
      assert.deepEqual(await plan(database, T0), { filed: 4, evaluated: 0, more: false });
      assert.deepEqual(await alertnamesByChannel(), {
        C0ALL: ['CpuHigh', 'DiskFull', 'Info', 'MemHigh'],
        C0CRIT: ['CpuHigh', 'MemHigh'],
        C0DB: ['DiskFull', 'MemHigh'],
        C0DBCRIT: ['MemHigh'],
        C0PROD: ['CpuHigh'],
      });

      await plan(database, at(10 * SECOND));
      assert.equal((await outboxKinds(db)).filter((k) => k === 'post').length, 4 + 2 + 2 + 1 + 1);
      assert.equal((await outboxKinds(db)).length, 10);
    });

    it('gives a muted channel no new group while muted, and a group again once the mute ended', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      const muted = await insertChannel(db, { channelId: 'C0MUTED', mutedUntil: at(HOUR) });
      const open = await insertChannel(db, { channelId: 'C0OPEN' });

      await receive(db, T0, [firing({ alertname: 'DiskFull' })]);
      await plan(database, T0);
      await plan(database, at(10 * SECOND));
      assert.deepEqual(await alertnamesByChannel(), { C0MUTED: [], C0OPEN: ['DiskFull'] });
      assert.deepEqual(await outboxKinds(db, { channelRowId: muted.id }), []);
      assert.deepEqual(await outboxKinds(db, { channelRowId: open.id }), ['post']);

      // Still muted a moment before it ends: a repeat of the alert is still held back.
      await receive(db, at(HOUR - SECOND), [firing({ alertname: 'DiskFull' })]);
      await plan(database, at(HOUR - SECOND));
      assert.equal(await db.alertGroup.count({ where: { channelRowId: muted.id } }), 0);

      // The mute ended: the sender's next repeat of the alert opens a group and posts after group_wait.
      await receive(db, at(HOUR), [firing({ alertname: 'DiskFull' })]);
      await plan(database, at(HOUR));
      assert.deepEqual(await alertnamesByChannel(), { C0MUTED: ['DiskFull'], C0OPEN: ['DiskFull'] });
      await plan(database, at(HOUR + 10 * SECOND));
      assert.deepEqual(await outboxKinds(db, { channelRowId: muted.id }), ['post']);
      assert.deepEqual(await outboxKinds(db, { channelRowId: open.id }), ['post'], 'the open channel’s group just stays open');
    });

    it('keeps alerts an active silence matches out of every channel; expired and future silences hold nothing', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      await insertInstallation(db, { id: 'T0OTHER' });
      await insertChannel(db, { channelId: 'C0ONE' });
      await insertChannel(db, { channelId: 'C0TWO', filters: 'severity>=warning' });
      await insertChannel(db, { channelId: 'C0ELSEWHERE', installationId: 'T0OTHER' });
      await insertSilence(db, { matchers: 'alertname=DiskFull,env=~"prod.*"', startsAt: at(-HOUR), endsAt: at(HOUR) });
      await insertSilence(db, { matchers: 'alertname=CpuHigh', startsAt: at(-2 * HOUR), endsAt: at(-MINUTE) });
      await insertSilence(db, { matchers: 'alertname=MemHigh', startsAt: at(HOUR), endsAt: at(2 * HOUR) });

      await receive(db, T0, [
        firing({ alertname: 'DiskFull', env: 'prod-eu' }), // silenced
        firing({ alertname: 'DiskFull', env: 'staging' }, { groupKey: 'other' }), // not every matcher holds
        firing({ alertname: 'CpuHigh', env: 'prod-eu' }), // its silence expired
        firing({ alertname: 'MemHigh', env: 'prod-eu' }), // its silence has not started
      ]);
      // The other workspace has no silences: its DiskFull goes through.
      await receive(db, T0, [firing({ alertname: 'DiskFull', env: 'prod-eu' })], 'T0OTHER');
      await plan(database, T0);

      const groupsOf = async (channelId: string) => {
        const channel = await db.channel.findFirstOrThrow({ where: { channelId } });
        return (await allGroups(db, { channelRowId: channel.id })).map((g) => labelsOf(g).alertname).sort();
      };
      assert.deepEqual(await groupsOf('C0ONE'), ['CpuHigh', 'DiskFull', 'MemHigh']);
      assert.deepEqual(await groupsOf('C0TWO'), ['CpuHigh', 'DiskFull', 'MemHigh']);
      assert.deepEqual(await groupsOf('C0ELSEWHERE'), ['DiskFull']);
      const one = await db.channel.findFirstOrThrow({ where: { channelId: 'C0ONE' } });
      const diskGroup = (await allGroups(db, { channelRowId: one.id })).find((g) => labelsOf(g).alertname === 'DiskFull');
      assert.ok(diskGroup);
      const diskAlerts = await db.groupAlert.findMany({ where: { groupId: diskGroup.id } });
      assert.deepEqual(diskAlerts.map((a) => (JSON.parse(a.alert) as { labels: { env: string } }).labels.env), ['staging'], 'only the unsilenced DiskFull');

      // Once the silence ends, the silenced alert's next repeat is delivered.
      await receive(db, at(HOUR), [firing({ alertname: 'DiskFull', env: 'prod-eu' })]);
      await plan(database, at(HOUR));
      assert.equal(await db.groupAlert.count({ where: { groupId: diskGroup.id } }), 2);
    });

    it('lets a resolved alert through a mute and a silence, to turn its open group’s message green', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      const channel = await insertChannel(db, { channelId: 'C0ALERTS' });
      const a = { alertname: 'DiskFull', instance: 'db-1' };
      const b = { alertname: 'DiskFull', instance: 'db-2' };

      await receive(db, T0, [firing(a)]);
      await plan(database, at(10 * SECOND));
      assert.deepEqual(await outboxKinds(db), ['post']);
      await deliverAll(db);
      const groupId = (await onlyGroup(db)).id;

      // Muted and silenced from now on.
      await db.channel.update({ where: { id: channel.id }, data: { mutedUntil: at(10 * HOUR) } });
      await insertSilence(db, { matchers: 'alertname=DiskFull', startsAt: at(MINUTE), endsAt: at(10 * HOUR) });

      // A new firing alert of the same group is held back: no new alert in the group, no update.
      await receive(db, at(2 * MINUTE), [firing(b)]);
      await plan(database, at(2 * MINUTE));
      await plan(database, at(5 * MINUTE));
      assert.equal(await db.groupAlert.count({ where: { groupId } }), 1);
      assert.deepEqual(await outboxKinds(db), []);

      // The alert that fired resolves: through the mute and the silence, the group resolves and closes.
      await receive(db, at(10 * MINUTE), [resolved(a)]);
      await plan(database, at(10 * MINUTE));
      assert.deepEqual(await outboxKinds(db, { groupId }), ['update', 'reply']);
      const group = await onlyGroup(db);
      assert.equal(group.status, 'resolved');
      assert.equal(group.openKey, null);

      // A resolved alert with no open group to update opens nothing, muted or not.
      await receive(db, at(20 * MINUTE), [resolved(b)]);
      await plan(database, at(20 * MINUTE));
      assert.equal(await db.alertGroup.count(), 1);
    });

    it('sends nothing to a broken channel, neither firing nor resolved', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      const broken = await insertChannel(db, { channelId: 'C0BROKEN', brokenAt: at(-HOUR) });
      const healthy = await insertChannel(db, { channelId: 'C0HEALTHY' });

      await receive(db, T0, [firing({ alertname: 'DiskFull' }), firing({ alertname: 'CpuHigh' }), resolved({ alertname: 'MemHigh' })]);
      await plan(database, T0);
      await plan(database, at(10 * SECOND));
      assert.equal(await db.alertGroup.count({ where: { channelRowId: broken.id } }), 0);
      assert.deepEqual(await outboxKinds(db, { channelRowId: broken.id }), []);
      assert.equal(await db.alertGroup.count({ where: { channelRowId: healthy.id } }), 2);
      assert.deepEqual(await outboxKinds(db, { channelRowId: healthy.id }), ['post', 'post']);
    });

    it('files nothing for an uninstalled workspace, yet marks its accepted alerts processed', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      await insertInstallation(db, { id: 'T0GONE', active: false });
      await insertChannel(db, { channelId: 'C0ACME' });
      await insertChannel(db, { channelId: 'C0GONE', installationId: 'T0GONE' });

      await receive(db, T0, [firing({ alertname: 'DiskFull' }), resolved({ alertname: 'CpuHigh' })], 'T0GONE');
      await receive(db, T0, [firing({ alertname: 'DiskFull' })]);
      assert.deepEqual(await plan(database, T0), { filed: 3, evaluated: 0, more: false });
      await plan(database, at(10 * SECOND));

      assert.equal(await db.alertGroup.count({ where: { installationId: 'T0GONE' } }), 0);
      assert.equal(await db.outboxMessage.count({ where: { installationId: 'T0GONE' } }), 0);
      assert.equal(await db.alertGroup.count({ where: { installationId: 'T0ACME' } }), 1);
      assert.deepEqual(await outboxKinds(db), ['post']);
      const gone = await db.incomingAlert.findMany({ where: { installationId: 'T0GONE' } });
      assert.equal(gone.length, 2);
      for (const row of gone) assert.equal(row.processedAt?.getTime(), T0.getTime());
    });

    it(
      'queues nothing more for the open groups of a workspace uninstalled after they opened',
      async () => {
        const { db, database } = world;
        await insertInstallation(db);
        await insertChannel(db, { channelId: 'C0ALERTS' });
        await receive(db, T0, [firing({ alertname: 'DiskFull' })]);
        await plan(database, at(10 * SECOND));
        await deliverAll(db);
        await db.installation.update({ where: { id: 'T0ACME' }, data: { active: false, secret: '', uninstalledAt: at(MINUTE) } });

        await plan(database, at(10 * SECOND + 12 * HOUR));
        await plan(database, at(10 * SECOND + 24 * HOUR));
        assert.deepEqual(await outboxKinds(db), [], 'no reminders for a workspace that uninstalled Herald');
      },
    );

    it(
      'posts no "still firing" reminder into a muted channel (README: mute = post nothing to a channel for a while)',
      async () => {
        const { db, database } = world;
        await insertInstallation(db);
        const channel = await insertChannel(db, { channelId: 'C0ALERTS' });
        await receive(db, T0, [firing({ alertname: 'DiskFull' })]);
        await plan(database, at(10 * SECOND));
        await deliverAll(db);
        await db.channel.update({ where: { id: channel.id }, data: { mutedUntil: at(24 * HOUR) } });

        await plan(database, at(10 * SECOND + 12 * HOUR));
        const kinds = await outboxKinds(db);
        const [reply] = await db.outboxMessage.findMany();
        assert.deepEqual(kinds, [], `muted, yet queued: ${reply ? payloadOf(reply).text : ''}`);
      },
    );

    it('sets processedAt on every accepted alert exactly once, batch after batch', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      await insertInstallation(db, { id: 'T0GONE', active: false });
      await insertChannel(db, { channelId: 'C0DB', filters: 'team=db' });
      await insertChannel(db, { channelId: 'C0MUTED', mutedUntil: at(HOUR) });

      // Routed, routed nowhere (no channel's filters match, muted), resolved only, uninstalled.
      await receive(db, T0, [firing({ alertname: 'DiskFull', team: 'db' }), firing({ alertname: 'CpuHigh', team: 'web' })]);
      await receive(db, at(SECOND), [resolved({ alertname: 'MemHigh', team: 'db' })]);
      await receive(db, at(2 * SECOND), [firing({ alertname: 'Gone' })], 'T0GONE');
      await receive(db, at(3 * SECOND), [firing({ alertname: 'Late', team: 'db' })]);

      // Two at a time: a full batch says there is more.
      const limits = { alerts: 2, groups: 200 };
      assert.deepEqual(await plan(database, at(5 * SECOND), limits), { filed: 2, evaluated: 0, more: true });
      assert.deepEqual(await plan(database, at(6 * SECOND), limits), { filed: 2, evaluated: 0, more: true });
      assert.deepEqual(await plan(database, at(7 * SECOND), limits), { filed: 1, evaluated: 0, more: false });
      assert.deepEqual(await plan(database, at(8 * SECOND), limits), { filed: 0, evaluated: 0, more: false });

      const rows = await db.incomingAlert.findMany({ orderBy: [{ receivedAt: 'asc' }, { title: 'asc' }] });
      assert.deepEqual(
        rows.map((row) => [row.title, row.processedAt?.getTime()]),
        [
          ['CpuHigh', at(5 * SECOND).getTime()],
          ['DiskFull', at(5 * SECOND).getTime()],
          ['MemHigh', at(6 * SECOND).getTime()],
          ['Gone', at(6 * SECOND).getTime()],
          ['Late', at(7 * SECOND).getTime()],
        ],
      );

      // Later plans neither file them again nor touch processedAt.
      await plan(database, at(HOUR));
      await plan(database, at(2 * HOUR));
      const again = await db.incomingAlert.findMany({ orderBy: [{ receivedAt: 'asc' }, { title: 'asc' }] });
      assert.deepEqual(again.map((row) => row.processedAt?.getTime()), rows.map((row) => row.processedAt?.getTime()));
      assert.equal(await db.incomingAlert.count({ where: { processedAt: null } }), 0);

      // What got filed: DiskFull and Late, each into a group of C0DB (their alertnames differ); nothing else.
      const dbChannel = await db.channel.findFirstOrThrow({ where: { channelId: 'C0DB' } });
      assert.deepEqual((await allGroups(db, { channelRowId: dbChannel.id })).map((g) => labelsOf(g).alertname).sort(), ['DiskFull', 'Late']);
      assert.equal(await db.alertGroup.count(), 2);
      assert.equal(await db.groupAlert.count(), 2);
    });
  });
}
