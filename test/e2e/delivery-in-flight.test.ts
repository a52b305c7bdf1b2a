// A group that changes while its message is on its way to Slack: the change must still be shown.
// (The settle step once counted the row it was settling as "an update already waiting" and queued
// nothing, leaving the message stale, or red after the group resolved.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertmanagerPayload, fastGrouping } from '../helpers/alerts.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { heraldPerTest } from '../helpers/herald.js';
import { createToken, eventually, postAlerts } from '../helpers/ingest.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const kind of testDatabaseKinds()) {
  describe(`changes while a message is in flight (${kind.name})`, () => {
    const world = heraldPerTest(kind, { install: true });
    const db = () => world.herald.herald.database.prisma;
    const send = async (token: string, body: string) => assert.equal((await postAlerts(world.herald.url, 'alertmanager', body, { token })).status, 202);
    const shown = async () => {
      const group = await db().alertGroup.findFirstOrThrow();
      return { group, message: world.emulator.messages('C0ALERTS').find((m) => m.ts === group.messageTs) };
    };

    it('shows an alert that joined the group while its first post was in flight', async () => {
      await fastGrouping(db());
      const { token } = await createToken(db());
      world.emulator.setFailure('chat.postMessage', { delayMs: 1500, times: 1 });
      await send(token, alertmanagerPayload([{ alertname: 'DiskFull', instance: 'db-1' }]));
      await settle(300); // rendered and sent; Slack has not answered yet
      await send(token, alertmanagerPayload([{ alertname: 'DiskFull', instance: 'db-1' }, { alertname: 'DiskFull', instance: 'db-2' }]));
      await eventually(async () => {
        const { group, message } = await shown();
        return group.sentVersion === group.version && /FIRING:2/.test(String(message?.text));
      }, 'the message to show both alerts');
      assert.equal(world.emulator.callsTo('chat.update').filter((c) => c.status === 200).length, 1);
    });

    it('turns the message green when the group resolves while an update is in flight', async () => {
      await fastGrouping(db());
      const { token } = await createToken(db());
      await send(token, alertmanagerPayload([{ alertname: 'DiskFull', instance: 'db-1' }]));
      await eventually(async () => (await db().alertGroup.findFirst())?.messageTs != null, 'the first post');
      world.emulator.setFailure('chat.update', { delayMs: 2500, times: 1 });
      await send(token, alertmanagerPayload([{ alertname: 'DiskFull', instance: 'db-1' }, { alertname: 'DiskFull', instance: 'db-2' }]));
      await eventually(async () => (await db().alertGroup.findFirstOrThrow()).version === 2 && (await db().outboxMessage.count()) === 1, 'the update queued');
      await settle(400); // the update is in flight
      await send(token, alertmanagerPayload([{ alertname: 'DiskFull', instance: 'db-1', status: 'resolved' }, { alertname: 'DiskFull', instance: 'db-2', status: 'resolved' }]));
      await eventually(async () => {
        const { group, message } = await shown();
        return group.status === 'resolved' && group.sentVersion === group.version && /RESOLVED/.test(String(message?.text));
      }, 'the resolved message', 15_000);
      const { group } = await shown();
      assert.equal(world.emulator.messages('C0ALERTS').filter((m) => m.thread_ts === group.messageTs).length, 1, 'one resolved reply');
    });
  });
}
