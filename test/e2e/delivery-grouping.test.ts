// Alert grouping and repeats with a fake clock, on real databases: the planner files accepted
// alerts into per-channel groups and queues outbox rows when group_wait, group_interval and
// repeat_interval say so. No worker runs; `deliverAll` stands in for it where a test needs the
// group's message to have been sent.
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
  onlyGroup,
  outboxKinds,
  outboxRows,
  payloadOf,
  plan,
  planResult,
  receive,
  resolved,
} from '../helpers/delivery.js';

const disk = (instance: string) => ({ alertname: 'DiskFull', instance, severity: 'critical' });
const labelsOf = (group: { groupLabels: string }) => JSON.parse(group.groupLabels) as Record<string, string>;
const fingerprints = (json: string) => (JSON.parse(json) as string[]).slice().sort();

for (const kind of testDatabaseKinds()) {
  describe(`delivery grouping (${kind.name})`, () => {
    const world = deliveryWorld(kind);

    it('posts after group_wait, updates at group_interval, stays quiet, reminds at repeat_interval, resolves and re-fires as a new group', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      const channel = await insertChannel(db, { channelId: 'C0ALERTS' });
      const a = firing(disk('db-1'));
      const b = firing(disk('db-2'));

      // group_wait (10 s): the group opens at once, its first message waits.
      await receive(db, T0, [a]);
      assert.deepEqual(await plan(database, T0), { filed: 1, evaluated: 0, more: false });
      const opened = await onlyGroup(db);
      assert.equal(opened.channelRowId, channel.id);
      assert.equal(opened.status, 'firing');
      assert.equal(opened.openKey, opened.groupKey);
      assert.deepEqual(labelsOf(opened), { alertname: 'DiskFull' });
      assert.equal(opened.nextEvaluationAt?.getTime(), at(10 * SECOND).getTime());
      assert.deepEqual(await outboxKinds(db), []);

      assert.deepEqual(await plan(database, at(10 * SECOND - 1)), { filed: 0, evaluated: 0, more: false });
      assert.deepEqual(await outboxKinds(db), [], 'nothing before group_wait');

      assert.deepEqual(await plan(database, at(10 * SECOND)), { filed: 0, evaluated: 1, more: false });
      const [post] = await outboxRows(db);
      assert.equal(post?.kind, 'post');
      assert.equal(post?.groupId, opened.id);
      assert.equal(post?.channelRowId, channel.id);
      assert.equal(post?.alertReceivedAt?.getTime(), T0.getTime());
      let group = await onlyGroup(db);
      assert.equal(group.version, 1);
      assert.deepEqual(fingerprints(group.notifiedFiring), [a.fingerprint]);
      assert.equal(group.notifiedAt?.getTime(), at(10 * SECOND).getTime());
      assert.equal(group.nextEvaluationAt?.getTime(), at(10 * SECOND + 12 * HOUR).getTime());
      await deliverAll(db);

      // A new alert joins: the message is updated at the next group_interval (1 min after the post), not before.
      await receive(db, at(20 * SECOND), [b]);
      await plan(database, at(20 * SECOND));
      assert.deepEqual(await outboxKinds(db), []);
      assert.equal((await onlyGroup(db)).nextEvaluationAt?.getTime(), at(70 * SECOND).getTime());
      await plan(database, at(70 * SECOND - 1));
      assert.deepEqual(await outboxKinds(db), [], 'nothing before group_interval');
      await plan(database, at(70 * SECOND));
      assert.deepEqual(await outboxKinds(db, { groupId: opened.id }), ['update']);
      group = await onlyGroup(db);
      assert.equal(group.version, 2);
      assert.deepEqual(fingerprints(group.notifiedFiring), [a.fingerprint, b.fingerprint].sort());
      assert.equal(await db.groupAlert.count({ where: { groupId: opened.id } }), 2);
      await deliverAll(db);

      // Nothing new: nothing queued, even long after group_interval, even when the sender repeats itself.
      await plan(database, at(70 * SECOND + MINUTE));
      await plan(database, at(70 * SECOND + 5 * MINUTE));
      await receive(db, at(10 * MINUTE), [a, b]);
      assert.deepEqual(await plan(database, at(10 * MINUTE)), { filed: 2, evaluated: 1, more: false });
      await plan(database, at(6 * HOUR));
      assert.deepEqual(await outboxKinds(db), []);
      group = await onlyGroup(db);
      assert.equal(group.version, 2);
      assert.equal(group.nextEvaluationAt?.getTime(), at(70 * SECOND + 12 * HOUR).getTime(), 'next look: the repeat interval after the last notification');

      // repeat_interval (12 h) after the last notification: a "still firing" reply, broadcast to the channel.
      await plan(database, at(70 * SECOND + 12 * HOUR - 1));
      assert.deepEqual(await outboxKinds(db), []);
      await plan(database, at(70 * SECOND + 12 * HOUR));
      const [reminder, ...noMore] = await outboxRows(db);
      assert.equal(noMore.length, 0);
      assert.equal(reminder?.kind, 'reply');
      assert.equal(reminder?.groupId, opened.id);
      assert.ok(reminder);
      assert.equal(payloadOf(reminder).broadcast, true);
      assert.equal(payloadOf(reminder).text, '🔁 Still firing after 12 hours 1 minute: DiskFull (2 alerts)');
      group = await onlyGroup(db);
      assert.equal(group.version, 2, 'a reminder does not change the message');
      assert.equal(group.notifiedAt?.getTime(), at(70 * SECOND + 12 * HOUR).getTime());
      await deliverAll(db);

      // Everything resolved: the message is updated (green), a reply goes in the thread, the group closes.
      const resolvedAt = at(13 * HOUR);
      await receive(db, resolvedAt, [resolved(disk('db-1')), resolved(disk('db-2'))]);
      await plan(database, resolvedAt);
      const closing = await outboxRows(db);
      assert.deepEqual(closing.map((row) => row.kind), ['update', 'reply']);
      assert.ok(closing.every((row) => row.groupId === opened.id));
      const resolvedReply = closing[1];
      assert.ok(resolvedReply);
      assert.equal(payloadOf(resolvedReply).text, '✅ Resolved after 13 hours: DiskFull');
      assert.equal(payloadOf(resolvedReply).broadcast, undefined);
      group = await onlyGroup(db);
      assert.equal(group.status, 'resolved');
      assert.equal(group.openKey, null);
      assert.equal(group.nextEvaluationAt, null);
      assert.equal(group.resolvedAt?.getTime(), resolvedAt.getTime());
      assert.equal(group.version, 3);
      await deliverAll(db);
      assert.deepEqual(await plan(database, at(14 * HOUR)), { filed: 0, evaluated: 0, more: false }, 'a closed group is never looked at again');

      // The same alert firing again: a new group, with a new message after group_wait.
      const refireAt = at(15 * HOUR);
      await receive(db, refireAt, [firing(disk('db-1'))]);
      await plan(database, refireAt);
      assert.deepEqual(await outboxKinds(db), []);
      const groups = await allGroups(db);
      assert.equal(groups.length, 2);
      const reopened = groups.find((g) => g.id !== opened.id);
      assert.ok(reopened);
      assert.equal(reopened.groupKey, opened.groupKey);
      assert.equal(reopened.openKey, opened.groupKey);
      assert.equal(reopened.messageTs, null);
      assert.equal(reopened.version, 0);
      await plan(database, new Date(refireAt.getTime() + 10 * SECOND));
      const [repost, ...rest] = await outboxRows(db);
      assert.equal(rest.length, 0);
      assert.equal(repost?.kind, 'post');
      assert.equal(repost?.groupId, reopened.id);
    });

    it('coalesces: changes while a post or an update waits leave that one row waiting', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      await insertChannel(db, { channelId: 'C0ALERTS' });

      await receive(db, T0, [firing(disk('db-1'))]);
      await plan(database, at(10 * SECOND));
      const groupId = (await onlyGroup(db)).id;
      assert.deepEqual(await outboxKinds(db), ['post']);

      // The post has not been sent yet: a new alert at group_interval bumps the version, no second row.
      await receive(db, at(20 * SECOND), [firing(disk('db-2'))]);
      await plan(database, at(70 * SECOND));
      assert.deepEqual(await outboxKinds(db), ['post']);
      assert.equal((await onlyGroup(db)).version, 2);
      await deliverAll(db);
      assert.equal((await onlyGroup(db)).sentVersion, 2);

      // Two changes, each at its own group_interval, while the first update is still waiting.
      await receive(db, at(100 * SECOND), [firing(disk('db-3'))]);
      await plan(database, at(130 * SECOND));
      assert.deepEqual(await outboxKinds(db), ['update']);
      await receive(db, at(150 * SECOND), [firing(disk('db-4')), resolved(disk('db-1'))]);
      await plan(database, at(150 * SECOND));
      assert.deepEqual(await outboxKinds(db), ['update'], 'not due before group_interval');
      await plan(database, at(190 * SECOND));
      assert.deepEqual(await outboxKinds(db, { groupId }), ['update'], 'still one waiting update');
      const group = await onlyGroup(db);
      assert.equal(group.version, 4);
      assert.equal(group.sentVersion, 2);
      assert.deepEqual(fingerprints(group.notifiedFiring), [disk('db-2'), disk('db-3'), disk('db-4')].map((l) => firing(l).fingerprint).sort());
      assert.deepEqual(fingerprints(group.notifiedResolved), [firing(disk('db-1')).fingerprint]);

      // Once that update is sent, the next change queues a new one.
      await deliverAll(db);
      await receive(db, at(200 * SECOND), [firing(disk('db-5'))]);
      await plan(database, at(250 * SECOND));
      assert.deepEqual(await outboxKinds(db), ['update']);
    });

    it('groups by every label with `...` and by custom label sets, the channel override winning over the workspace', async () => {
      const { db, database } = world;
      await insertInstallation(db, { groupBy: 'alertname,cluster', groupWaitSeconds: 30 });
      const workspace = await insertChannel(db, { channelId: 'C0WORKSPACE' });
      const byName = await insertChannel(db, { channelId: 'C0BYNAME', groupBy: 'alertname', groupWaitSeconds: 0 });
      const everything = await insertChannel(db, { channelId: 'C0ALL', groupBy: '...' });

      const alerts = [
        firing({ alertname: 'DiskFull', cluster: 'eu', instance: 'db-1' }),
        firing({ alertname: 'DiskFull', cluster: 'us', instance: 'db-2' }),
        firing({ alertname: 'DiskFull', cluster: 'eu', instance: 'db-3' }),
        firing({ alertname: 'DiskFull', cluster: 'eu', instance: 'db-1' }), // the first again
      ];
      await receive(db, T0, alerts);
      await plan(database, T0);

      const groupsOf = async (channelRowId: string) => {
        const groups = await allGroups(db, { channelRowId });
        return Promise.all(
          groups.map(async (g) => ({ labels: labelsOf(g), alerts: await db.groupAlert.count({ where: { groupId: g.id } }), id: g.id, nextEvaluationAt: g.nextEvaluationAt })),
        );
      };
      const byLabels = (a: { labels: Record<string, string> }, b: { labels: Record<string, string> }) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels));

      // The workspace's alertname,cluster: one group per cluster.
      const workspaceGroups = (await groupsOf(workspace.id)).sort(byLabels);
      assert.deepEqual(
        workspaceGroups.map(({ labels, alerts }) => ({ labels, alerts })),
        [
          { labels: { alertname: 'DiskFull', cluster: 'eu' }, alerts: 2 },
          { labels: { alertname: 'DiskFull', cluster: 'us' }, alerts: 1 },
        ],
      );
      // The channel's alertname: one group.
      const nameGroups = await groupsOf(byName.id);
      assert.deepEqual(nameGroups.map(({ labels, alerts }) => ({ labels, alerts })), [{ labels: { alertname: 'DiskFull' }, alerts: 3 }]);
      // `...`: one group per distinct label set, keyed by all of them (sorted).
      const allGroupsOfChannel = (await groupsOf(everything.id)).sort(byLabels);
      assert.deepEqual(
        allGroupsOfChannel.map(({ labels, alerts }) => ({ labels, keys: Object.keys(labels), alerts })),
        [
          { labels: { alertname: 'DiskFull', cluster: 'eu', instance: 'db-1' }, keys: ['alertname', 'cluster', 'instance'], alerts: 1 },
          { labels: { alertname: 'DiskFull', cluster: 'eu', instance: 'db-3' }, keys: ['alertname', 'cluster', 'instance'], alerts: 1 },
          { labels: { alertname: 'DiskFull', cluster: 'us', instance: 'db-2' }, keys: ['alertname', 'cluster', 'instance'], alerts: 1 },
        ],
      );

      // Timing too: the channel's group_wait 0 posts at once; the others wait the workspace's 30 s.
      assert.deepEqual(await outboxKinds(db, { channelRowId: byName.id }), ['post']);
      assert.deepEqual(await outboxKinds(db, { channelRowId: workspace.id }), []);
      assert.deepEqual(await outboxKinds(db, { channelRowId: everything.id }), []);
      for (const g of [...workspaceGroups, ...allGroupsOfChannel]) assert.equal(g.nextEvaluationAt?.getTime(), at(30 * SECOND).getTime());
      await plan(database, at(30 * SECOND - 1));
      assert.equal((await outboxRows(db)).length, 1);
      await plan(database, at(30 * SECOND));
      assert.deepEqual(await outboxKinds(db, { channelRowId: workspace.id }), ['post', 'post']);
      assert.deepEqual(await outboxKinds(db, { channelRowId: everything.id }), ['post', 'post', 'post']);
      assert.deepEqual(await outboxKinds(db, { channelRowId: byName.id }), ['post']);
    });

    it('groups alerts carrying none of the group_by labels by their sender group key', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      const channel = await insertChannel(db, { channelId: 'C0ALERTS' });
      // No alertname (a W&B or Slack-format sender): the default group_by finds nothing to key on.
      await receive(db, T0, [
        firing({ job: 'train' }, { groupKey: 'wandb:run-1' }),
        firing({ job: 'eval' }, { groupKey: 'wandb:run-1' }),
        firing({ job: 'train' }, { groupKey: 'wandb:run-2', fingerprint: 'run-2-train' }),
      ]);
      await plan(database, T0);
      const groups = await allGroups(db, { channelRowId: channel.id });
      assert.equal(groups.length, 2);
      assert.notEqual(groups[0]?.groupKey, groups[1]?.groupKey);
      for (const g of groups) assert.deepEqual(labelsOf(g), {});
      const sizes = await Promise.all(groups.map((g) => db.groupAlert.count({ where: { groupId: g.id } })));
      assert.deepEqual(sizes.sort(), [1, 2]);

      // An alert with an alertname and the same sender key goes to an alertname group instead.
      await receive(db, at(SECOND), [firing({ alertname: 'TrainingStalled', job: 'train' }, { groupKey: 'wandb:run-1' })]);
      await plan(database, at(SECOND));
      assert.equal((await allGroups(db)).length, 3);

      await plan(database, at(11 * SECOND));
      assert.deepEqual(await outboxKinds(db), ['post', 'post', 'post']);
    });

    it('never opens a group for alerts that are only resolved, and closes silently a group resolved before its first message', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      await insertChannel(db, { channelId: 'C0ALERTS' });

      await receive(db, T0, [resolved(disk('db-1')), resolved({ alertname: 'CpuHigh', instance: 'web-1' })]);
      assert.deepEqual(await plan(database, T0), { filed: 2, evaluated: 0, more: false });
      await plan(database, at(HOUR));
      assert.equal(await db.alertGroup.count(), 0);
      assert.equal(await db.groupAlert.count(), 0);
      assert.deepEqual(await outboxKinds(db), []);
      assert.equal(await db.incomingAlert.count({ where: { processedAt: null } }), 0);

      // Fires and resolves within group_wait: the channel never saw it fire, so it is told nothing.
      await receive(db, at(2 * HOUR), [firing(disk('db-2'))]);
      await plan(database, at(2 * HOUR));
      await receive(db, at(2 * HOUR + 5 * SECOND), [resolved(disk('db-2'))]);
      await plan(database, at(2 * HOUR + 5 * SECOND));
      await plan(database, at(2 * HOUR + 10 * SECOND));
      const group = await onlyGroup(db);
      assert.equal(group.status, 'resolved');
      assert.equal(group.openKey, null);
      assert.equal(group.version, 0);
      assert.deepEqual(await outboxKinds(db), []);
    });

    it('reminds each channel at its own repeat_interval', async () => {
      const { db, database } = world;
      await insertInstallation(db, { repeatIntervalSeconds: 4 * 3600 });
      const workspace = await insertChannel(db, { channelId: 'C0WORKSPACE' });
      const hourly = await insertChannel(db, { channelId: 'C0HOURLY', repeatIntervalSeconds: 3600 });

      await receive(db, T0, [firing(disk('db-1'))]);
      await plan(database, at(10 * SECOND));
      await deliverAll(db);

      await plan(database, at(10 * SECOND + HOUR - 1));
      assert.deepEqual(await outboxKinds(db), []);
      await plan(database, at(10 * SECOND + HOUR));
      assert.deepEqual(await outboxKinds(db, { channelRowId: hourly.id }), ['reply']);
      assert.deepEqual(await outboxKinds(db, { channelRowId: workspace.id }), []);
      await deliverAll(db);
      await plan(database, at(10 * SECOND + 2 * HOUR));
      assert.deepEqual(await outboxKinds(db, { channelRowId: hourly.id }), ['reply'], 'again an hour after the last reminder');
      await deliverAll(db);
      await plan(database, at(10 * SECOND + 4 * HOUR));
      assert.deepEqual(await outboxKinds(db, { channelRowId: hourly.id }), ['reply']);
      assert.deepEqual(await outboxKinds(db, { channelRowId: workspace.id }), ['reply'], 'the workspace’s 4 h');
    });

    it('holds a group due while a backlog is filed until the alerts accepted before its time are in (README, How alerts reach Slack)', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      await insertChannel(db, { channelId: 'C0ALERTS' });
      const first = firing(disk('db-1'));
      await receive(db, T0, [first]);
      await plan(database, T0);
      const backlog = [firing(disk('db-2')), firing(disk('db-3')), firing(disk('db-4'))];
      await receive(db, at(9 * SECOND), backlog);

      // One alert filed per plan: at 10 s the group is due, but alerts received at 9 s wait to be filed.
      // Each full batch of alerts that waited 1 s says filing is behind (more than 500 ms): the next batches are planned larger.
      const oneAtATime = { alerts: 1, groups: 200 };
      for (let i = 0; i < backlog.length; i++) {
        assert.deepEqual(await planResult(database, at(10 * SECOND), oneAtATime), { filed: 1, evaluated: 0, more: true, behind: true }, `plan ${i + 1}: held while the backlog is filed`);
      }
      assert.deepEqual(await outboxKinds(db), []);
      assert.deepEqual(await planResult(database, at(10 * SECOND), oneAtATime), { filed: 0, evaluated: 1, more: false, behind: false });
      assert.deepEqual(await outboxKinds(db), ['post'], 'one message, no update to follow');
      assert.deepEqual(fingerprints((await onlyGroup(db)).notifiedFiring), [first, ...backlog].map((a) => a.fingerprint).sort());
    });

    it('says filing is behind when a full batch’s oldest alert waited more than 500 ms', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      await insertChannel(db, { channelId: 'C0ALERTS' });
      await receive(db, T0, [firing(disk('db-1')), firing(disk('db-2')), firing(disk('db-3'))]);

      const oneAtATime = { alerts: 1, groups: 200 };
      assert.deepEqual(await planResult(database, at(500), oneAtATime), { filed: 1, evaluated: 0, more: true, behind: false }, 'waited 500 ms: not behind');
      assert.deepEqual(await planResult(database, at(501), oneAtATime), { filed: 1, evaluated: 0, more: true, behind: true }, 'waited 501 ms: behind');
      assert.deepEqual(await planResult(database, at(501), { alerts: 2, groups: 200 }), { filed: 1, evaluated: 0, more: false, behind: false }, 'a batch that is not full: caught up');
    });

    it('holds a due group back at most 5 s for a backlog filing cannot catch up with', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      await insertChannel(db, { channelId: 'C0ALERTS' });
      await receive(db, T0, [firing(disk('db-1'))]);
      await plan(database, T0);
      await receive(db, at(1 * SECOND), [firing(disk('db-2')), firing(disk('db-3'))]);

      const oneAtATime = { alerts: 1, groups: 200 };
      assert.deepEqual(await plan(database, at(14 * SECOND), oneAtATime), { filed: 1, evaluated: 0, more: true }, 'due at 10 s, held until 15 s');
      assert.deepEqual(await plan(database, at(15 * SECOND), oneAtATime), { filed: 1, evaluated: 1, more: true }, 'told at 15 s, backlog or not');
      assert.deepEqual(await outboxKinds(db), ['post']);
    });

    it(
      'repeats no more often than group_interval when repeat_interval is shorter (README, Grouping)',
      async () => {
        const { db, database } = world;
        await insertInstallation(db, { groupIntervalSeconds: 300, repeatIntervalSeconds: 60 });
        await insertChannel(db, { channelId: 'C0ALERTS' });
        await receive(db, T0, [firing(disk('db-1'))]);
        await plan(database, at(10 * SECOND));
        await deliverAll(db);

        await plan(database, at(10 * SECOND + 5 * MINUTE - 1));
        assert.deepEqual(await outboxKinds(db), [], 'no reminder before group_interval (5 min) passed');
        await plan(database, at(10 * SECOND + 5 * MINUTE));
        assert.deepEqual(await outboxKinds(db), ['reply']);
      },
    );

    it('keeps each channel’s groups independent: own group, own post, own updates', async () => {
      const { db, database } = world;
      await insertInstallation(db);
      const ops = await insertChannel(db, { channelId: 'C0OPS' });
      const db1 = await insertChannel(db, { channelId: 'C0DB', groupIntervalSeconds: 300 });

      await receive(db, T0, [firing(disk('db-1'))]);
      await plan(database, at(10 * SECOND));
      const opsGroup = await onlyGroup(db, { channelRowId: ops.id });
      const dbGroup = await onlyGroup(db, { channelRowId: db1.id });
      assert.notEqual(opsGroup.id, dbGroup.id);
      assert.equal(opsGroup.groupKey, dbGroup.groupKey, 'same labels, same key');
      assert.deepEqual(await outboxKinds(db, { groupId: opsGroup.id }), ['post']);
      assert.deepEqual(await outboxKinds(db, { groupId: dbGroup.id }), ['post']);
      assert.deepEqual(await outboxKinds(db, { channelRowId: ops.id }), ['post']);
      assert.deepEqual(await outboxKinds(db, { channelRowId: db1.id }), ['post']);
      await deliverAll(db);

      // A new alert: each channel on its own group_interval (1 min vs 5 min).
      await receive(db, at(20 * SECOND), [firing(disk('db-2'))]);
      await plan(database, at(70 * SECOND));
      assert.deepEqual(await outboxKinds(db, { channelRowId: ops.id }), ['update']);
      assert.deepEqual(await outboxKinds(db, { channelRowId: db1.id }), []);
      await plan(database, at(310 * SECOND));
      assert.deepEqual(await outboxKinds(db, { channelRowId: db1.id }), ['update']);
      assert.deepEqual(await outboxKinds(db, { channelRowId: ops.id }), ['update']);
      assert.equal((await db.alertGroup.findUniqueOrThrow({ where: { id: opsGroup.id } })).version, 2);
      assert.equal((await db.alertGroup.findUniqueOrThrow({ where: { id: dbGroup.id } })).version, 2);
    });
  });
}
