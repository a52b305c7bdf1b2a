// One living message per alert group, end to end: alerts POSTed to Herald reach the emulator as one
// message that is updated as the group changes, turns green on resolve with a thread reply, and a
// re-fire after resolve posts a new message. Real HTTP, real databases, the real worker.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertmanagerPayload, fastGrouping } from '../helpers/alerts.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { heraldPerTest } from '../helpers/herald.js';
import { createToken, eventually, postAlerts } from '../helpers/ingest.js';

const headerText = (message: { blocks?: unknown[] }) => JSON.stringify(message.blocks?.[0] ?? '');

for (const kind of testDatabaseKinds()) {
  describe(`delivery lifecycle (${kind.name})`, () => {
    const world = heraldPerTest(kind, { install: true });

    it('posts a group once, updates it in place, resolves it with a thread reply, and re-fires as a new message', async () => {
      const db = world.herald.herald.database.prisma;
      const emulator = world.emulator;
      await fastGrouping(db);
      const { token } = await createToken(db);
      const alertMessages = () => emulator.messages('C0ALERTS').filter((m) => m.thread_ts === undefined && /Firing|Resolved/.test(headerText(m)));
      const send = async (body: string) => assert.equal((await postAlerts(world.herald.url, 'alertmanager', body, { token })).status, 202);

      await send(alertmanagerPayload([{ alertname: 'DiskFull', instance: 'db-1' }]));
      await eventually(async () => alertMessages().length === 1, 'the first message');
      const [first] = alertMessages();
      assert.ok(first);
      assert.match(headerText(first), /Firing/);
      // The emulator hands out copies: read the message again each time.
      const message = () => emulator.messages('C0ALERTS').find((m) => m.ts === first.ts) ?? first;

      // A second alert of the same group: the same message is edited, no new message.
      await send(alertmanagerPayload([{ alertname: 'DiskFull', instance: 'db-1' }, { alertname: 'DiskFull', instance: 'db-2' }]));
      await eventually(async () => message().edits >= 1 && JSON.stringify(message().attachments).includes('db-2'), 'the update with db-2');
      assert.equal(alertMessages().length, 1);

      // Everything resolves: the message turns green in place and a reply lands in its thread.
      await send(alertmanagerPayload([{ alertname: 'DiskFull', instance: 'db-1', status: 'resolved' }, { alertname: 'DiskFull', instance: 'db-2', status: 'resolved' }]));
      await eventually(async () => headerText(message()).includes('Resolved'), 'the resolved message');
      await eventually(async () => emulator.messages('C0ALERTS').some((m) => m.thread_ts === first.ts && String(m.text).includes('Resolved')), 'the thread reply');
      assert.equal(alertMessages().length, 1);

      // Firing again after the resolve starts a new message.
      await send(alertmanagerPayload([{ alertname: 'DiskFull', instance: 'db-1', summary: 'again' }]));
      await eventually(async () => alertMessages().length === 2, 'a new message for the re-fire');
      const outbox = await db.outboxMessage.count({ where: { deadAt: null } });
      await eventually(async () => (await db.outboxMessage.count({ where: { deadAt: null } })) === 0, `the outbox to drain (${outbox} left)`);
      assert.equal(await db.outboxMessage.count(), 0, 'nothing dead-lettered');

      // What happened is visible on /metrics.
      const metrics = await (await fetch(`${world.herald.url}/metrics`)).text();
      const value = (line: string) => Number(new RegExp(`^${line.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(metrics)?.[1]);
      assert.equal(value('herald_notifications_sent_total{kind="post"}'), 2);
      assert.ok(value('herald_notifications_sent_total{kind="update"}') >= 2);
      assert.equal(value('herald_notifications_sent_total{kind="reply"}'), 1);
      assert.equal(value('herald_outbox_depth'), 0);
      assert.equal(value('herald_outbox_dead_letters'), 0);
      // Latency is observed for each call that brought a newly firing alert: db-1, db-2, the re-fire.
      assert.equal(value('herald_delivery_latency_seconds_count'), 3);
    });
  });
}
