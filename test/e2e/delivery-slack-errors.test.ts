// What Slack's refusals do to delivery, one kind at a time, end to end: a channel Herald cannot post
// to is marked broken and left alone until it is repaired; a workspace that took the token away is
// deactivated and its queue dead-lettered; a message too long is retried compact once; 5xx answers
// are retried with backoff until the deadline; expiring tokens are refreshed; a deleted message is
// posted again. Real HTTP, real databases, the real worker, an emulated Slack.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { testDatabaseKinds, type TestDatabaseKind } from '../helpers/databases.js';
import { ALERTS, TEAM, headerText, sleep, startDeliveryWorld, unarchiveChannel, type DeliveryWorld } from '../helpers/deliveryWorld.js';
import { eventually } from '../helpers/ingest.js';

/** Long enough for several delivery rounds at the tests' 100 ms pace and 50 ms poll. */
const QUIET_MS = 700;

/** The (firing) alert message for `alertname` in `channel`, as it stands now. */
const messageFor = (world: DeliveryWorld, alertname: string, channel = ALERTS) => world.alertMessages(channel).find((m) => headerText(m).includes(`Firing: ${alertname}`));

// ---------------------------------------------------------------------------------------------
// Channels Herald cannot post to.

interface BrokenChannelCase {
  reason: string;
  /** The Slack channel the alert is routed to (#alerts unless the case adds its own). */
  channel?: string;
  /** Sets the world up (before any alert) so posting to the channel is refused with `reason`. */
  breakIt(world: DeliveryWorld): Promise<void> | void;
  /** Undoes it in Slack, before the channel is repaired in Herald. */
  fixIt(world: DeliveryWorld): Promise<void> | void;
}

async function brokenChannel(t: TestContext, kind: TestDatabaseKind, c: BrokenChannelCase): Promise<void> {
  const world = await startDeliveryWorld(t, kind);
  const channelId = c.channel ?? ALERTS;
  await c.breakIt(world);
  // Two groups: two posts queued together, the second still waiting when the first is refused.
  await world.send([
    { alertname: 'DiskFull', instance: 'db-1' },
    { alertname: 'CpuHigh', instance: 'db-1' },
  ]);

  await eventually(async () => (await world.channel(channelId)).brokenAt !== null, `${channelId} marked broken`);
  const broken = await world.channel(channelId);
  assert.equal(broken.brokenReason, c.reason);
  assert.equal(broken.lastError, c.reason);
  const refused = world.postsTo(channelId);
  assert.equal(refused.length, 1, 'one call found the channel broken');
  assert.equal(refused[0]?.response.error, c.reason);

  // A firing alert arriving now is not routed to the broken channel at all (routing.ts).
  await world.send([{ alertname: 'MemHigh', instance: 'db-1' }]);
  await sleep(QUIET_MS);
  assert.equal(world.postsTo(channelId).length, 1, 'no further calls to a broken channel');
  assert.equal((await world.channel(channelId)).leaseOwner, null, 'its lease is given back');
  const waiting = (await world.outbox()).filter((row) => row.channelRowId === broken.id);
  assert.deepEqual(
    waiting.map((row) => [row.kind, row.deadAt, row.deadReason]),
    [
      ['post', null, null],
      ['post', null, null],
    ],
    'the two posts wait for the channel: neither delivered nor dead',
  );
  assert.equal(await world.metric('herald_notifications_failed_total', { reason: c.reason }), 1, '/metrics shows the failure');
  assert.equal(await world.metric('herald_dead_letters_total'), 0);
  assert.ok((await world.metric('herald_outbox_depth')) >= waiting.length, '/metrics shows the calls waiting');

  // Someone fixes the channel in Slack and adds it again in Herald (`/herald add` clears brokenAt).
  await c.fixIt(world);
  await world.repairChannel(channelId);
  await eventually(async () => messageFor(world, 'DiskFull', channelId) !== undefined && messageFor(world, 'CpuHigh', channelId) !== undefined, 'both waiting messages, once repaired');
  await eventually(async () => (await world.db.outboxMessage.count()) === 0, 'the outbox to drain');
  assert.equal(world.alertMessages(channelId).length, 2, 'the waiting posts, each once');
  assert.deepEqual(world.postsTo(channelId).map((call) => call.response.ok), [false, true, true]);
  const repaired = await world.channel(channelId);
  assert.deepEqual([repaired.brokenAt, repaired.lastError], [null, null]);
  assert.ok(repaired.lastDeliveryAt, 'delivered since');
}

// ---------------------------------------------------------------------------------------------
// The workspace took the app's access away.

async function installationGone(t: TestContext, kind: TestDatabaseKind, reason: string, revoke: (world: DeliveryWorld) => Promise<void> | void): Promise<void> {
  const world = await startDeliveryWorld(t, kind);
  await revoke(world);
  // Three groups: three posts queued together, all waiting when the first is refused.
  await world.send([
    { alertname: 'DiskFull', instance: 'db-1' },
    { alertname: 'CpuHigh', instance: 'db-1' },
    { alertname: 'MemHigh', instance: 'db-1' },
  ]);

  await eventually(async () => (await world.db.installation.findUniqueOrThrow({ where: { id: TEAM } })).active === false, 'the installation deactivated');
  await eventually(async () => (await world.outbox()).every((row) => row.deadAt !== null), 'every row dead');
  const rows = await world.outbox();
  assert.equal(rows.length, 3);
  for (const row of rows) {
    assert.ok(row.deadReason?.startsWith('installation_gone'), `dead because the installation is gone: ${row.deadReason}`);
    assert.equal(row.deadReason, `installation_gone: ${reason}`);
  }
  const installation = await world.db.installation.findUniqueOrThrow({ where: { id: TEAM } });
  assert.equal(installation.secret, '', 'its tokens are erased');
  assert.ok(installation.uninstalledAt);

  await sleep(QUIET_MS);
  const posts = world.postsTo(ALERTS);
  assert.equal(posts.length, 1, 'one call, refused; nothing after it');
  assert.equal(posts[0]?.response.error, reason);
  assert.equal(world.alertMessages().length, 0);
  assert.equal(await world.metric('herald_notifications_failed_total', { reason }), 1);
  assert.equal(await world.metric('herald_delivery_retries_total'), 0);
}

/** Its first line is the title; the rest (about 1,500 characters) is shown as the description: whole
 * in the normal rendering (2,500 allowed), cut in the compact one (800). */
const LONG_SUMMARY = `DiskFull on db-1\n${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(25)}END-OF-SUMMARY`;

for (const kind of testDatabaseKinds()) {
  describe(`delivery and Slack's errors (${kind.name})`, () => {
    describe('a channel Herald cannot post to is marked broken until repaired', () => {
      it('is_archived: the channel was archived', (t) =>
        brokenChannel(t, kind, {
          reason: 'is_archived',
          breakIt: (world) => world.emulator.archiveChannel(ALERTS),
          fixIt: (world) => unarchiveChannel(world.emulator, ALERTS),
        }));

      it('not_in_channel: Herald was removed from it', (t) =>
        // Herald has chat:write.public, so Slack only says not_in_channel where that does not reach
        // (Slack Connect and the like); the emulator lets it post in public channels it left.
        brokenChannel(t, kind, {
          reason: 'not_in_channel',
          breakIt: (world) => world.emulator.setFailure('chat.postMessage', { error: 'not_in_channel' }),
          fixIt: (world) => world.emulator.setFailure('chat.postMessage', null),
        }));

      it('channel_not_found: Slack cannot find the channel', (t) =>
        brokenChannel(t, kind, {
          reason: 'channel_not_found',
          breakIt: (world) => world.emulator.setFailure('chat.postMessage', { error: 'channel_not_found' }),
          fixIt: (world) => world.emulator.setFailure('chat.postMessage', null),
        }));

      it('channel_not_found: Herald was removed from a private channel, which then looks absent', (t) =>
        brokenChannel(t, kind, {
          reason: 'channel_not_found',
          channel: 'G0PRIV',
          breakIt: async (world) => {
            await world.addChannel({ id: 'G0PRIV', name: 'incidents', isPrivate: true });
            world.emulator.removeFromChannel('G0PRIV');
          },
          fixIt: (world) => world.emulator.joinChannel('G0PRIV', world.emulator.botUserId(TEAM) ?? ''),
        }));

      it('a broken channel does not hold up the others', async (t) => {
        const world = await startDeliveryWorld(t, kind);
        await world.addChannel({ id: 'C0OPS', name: 'ops' });
        world.emulator.archiveChannel('C0OPS');
        await world.send([{ alertname: 'DiskFull', instance: 'db-1' }]);
        await eventually(async () => (await world.channel('C0OPS')).brokenAt !== null, '#ops marked broken');
        await eventually(async () => messageFor(world, 'DiskFull') !== undefined, 'the message in #alerts');
        await world.send([{ alertname: 'CpuHigh', instance: 'db-1' }]);
        await eventually(async () => messageFor(world, 'CpuHigh') !== undefined, 'the next message in #alerts');
        assert.equal(world.postsTo('C0OPS').length, 1);
        assert.equal((await world.channel(ALERTS)).brokenAt, null);
      });

      it(
        'an alert resolved while its channel was broken turns the message green once the channel is repaired',
        async (t) => {
          const world = await startDeliveryWorld(t, kind);
          await world.send([{ alertname: 'DiskFull', instance: 'db-1' }]);
          await eventually(async () => messageFor(world, 'DiskFull') !== undefined, 'the message');
          world.emulator.archiveChannel(ALERTS);
          await world.send([{ alertname: 'CpuHigh', instance: 'db-1' }]);
          await eventually(async () => (await world.channel()).brokenAt !== null, '#alerts marked broken');
          // DiskFull resolves while the channel is broken: Alertmanager says so once, and never again.
          await world.send([{ alertname: 'DiskFull', instance: 'db-1', status: 'resolved' }]);
          await sleep(QUIET_MS);

          unarchiveChannel(world.emulator, ALERTS);
          await world.repairChannel();
          await eventually(async () => messageFor(world, 'CpuHigh') !== undefined, 'the waiting message, once repaired');
          // The resolve is evaluated at the group's next group_interval (1 s here), which may come after the repair.
          const diskFullStatus = async () => (await world.db.alertGroup.findFirstOrThrow({ where: { groupLabels: JSON.stringify({ alertname: 'DiskFull' }) } })).status;
          await eventually(async () => (await diskFullStatus()) === 'resolved', 'Herald to know DiskFull resolved', 5_000);
          await eventually(async () => world.alertMessages().some((m) => headerText(m).includes('Resolved: DiskFull')), 'the DiskFull message turned green', 5_000);
        },
      );

      it('removed from a public channel, Herald still posts there (chat:write.public)', async (t) => {
        const world = await startDeliveryWorld(t, kind);
        world.emulator.removeFromChannel(ALERTS);
        await world.send([{ alertname: 'DiskFull', instance: 'db-1' }]);
        await eventually(async () => messageFor(world, 'DiskFull') !== undefined, 'the message');
        assert.equal((await world.channel()).brokenAt, null);
      });
    });

    describe('a workspace that took the token away is deactivated and its queue dead-lettered', () => {
      it('token_revoked: uninstalled while Herald was not listening', (t) => installationGone(t, kind, 'token_revoked', (world) => world.emulator.uninstall(TEAM, { notify: false })));

      it("account_inactive: the app's bot user was deactivated", (t) =>
        installationGone(t, kind, 'account_inactive', async (world) => {
          const installation = await world.db.installation.findUniqueOrThrow({ where: { id: TEAM } });
          assert.ok(installation.botUserId);
          assert.equal(installation.botUserId, world.emulator.botUserId(TEAM));
          world.emulator.deactivateUser(TEAM, installation.botUserId);
        }));

      it('invalid_auth: Slack no longer knows the token', (t) => installationGone(t, kind, 'invalid_auth', (world) => world.emulator.setFailure('chat.postMessage', { error: 'invalid_auth' })));
    });

    describe('a message Slack finds too long', () => {
      it('is retried once, rendered compact, and delivered', async (t) => {
        // A 1 s pace keeps the compact row waiting long enough to be seen.
        const world = await startDeliveryWorld(t, kind, { delivery: { paceMs: 1_000 } });
        world.emulator.setFailure('chat.postMessage', { error: 'msg_too_long', times: 1 });
        await world.send([{ alertname: 'DiskFull', instance: 'db-1', summary: LONG_SUMMARY }]);

        await eventually(async () => (await world.outbox()).some((row) => row.compact && row.attempts === 1 && row.lastError === 'msg_too_long'), 'the row marked compact');
        await eventually(async () => messageFor(world, 'DiskFull') !== undefined, 'the compact message');
        await eventually(async () => (await world.db.outboxMessage.count()) === 0, 'the outbox to drain');

        const [refused, accepted, ...more] = world.postsTo(ALERTS);
        assert.deepEqual(more, [], 'two calls');
        assert.equal(refused?.response.error, 'msg_too_long');
        assert.equal(accepted?.response.ok, true);
        assert.ok(JSON.stringify(refused?.args.attachments).includes('END-OF-SUMMARY'), 'the first try had the whole summary');
        assert.ok(!JSON.stringify(accepted?.args.attachments).includes('END-OF-SUMMARY'), 'the retry was shortened');
        assert.ok(JSON.stringify(accepted?.args).length < JSON.stringify(refused?.args).length, 'the retry is smaller');
        assert.equal(await world.metric('herald_delivery_retries_total'), 1);
        assert.equal(await world.metric('herald_dead_letters_total'), 0);
      });

      it('is dead-lettered with msg_too_long when the compact one is refused too, after exactly two calls', async (t) => {
        const world = await startDeliveryWorld(t, kind);
        world.emulator.setFailure('chat.postMessage', { error: 'msg_too_long' });
        await world.send([{ alertname: 'DiskFull', instance: 'db-1', summary: LONG_SUMMARY }]);

        await eventually(async () => (await world.outbox()).some((row) => row.deadAt !== null), 'the row dead-lettered');
        await sleep(QUIET_MS);
        const [row, ...others] = await world.outbox();
        assert.deepEqual(others, []);
        assert.deepEqual([row?.deadReason, row?.compact, row?.attempts], ['msg_too_long', true, 2]);
        assert.deepEqual(world.postsTo(ALERTS).map((call) => call.response.error), ['msg_too_long', 'msg_too_long'], 'exactly two calls');
        assert.equal(await world.metric('herald_dead_letters_total', { reason: 'msg_too_long' }), 1);
        assert.equal((await world.channel()).brokenAt, null, 'the channel is fine');
      });
    });

    describe('Slack failing for a while', () => {
      it('HTTP 500 three times: retried with growing backoff, then delivered', async (t) => {
        const world = await startDeliveryWorld(t, kind);
        world.emulator.setFailure('chat.postMessage', { status: 500, times: 3 });
        await world.send([{ alertname: 'DiskFull', instance: 'db-1' }]);

        await eventually(async () => messageFor(world, 'DiskFull') !== undefined, 'the message, eventually', 15_000);
        await eventually(async () => (await world.db.outboxMessage.count()) === 0, 'the outbox to drain');
        const posts = world.postsTo(ALERTS);
        assert.deepEqual(posts.map((call) => call.status), [500, 500, 500, 200]);
        // Backoff after the n-th failure is between half and all of 1 s · 2^(n−1).
        const gaps = posts.slice(1).map((call, i) => call.at - (posts[i]?.at ?? 0));
        [500, 1_000, 2_000].forEach((minimum, i) => assert.ok((gaps[i] ?? 0) >= minimum - 50, `retry ${i + 1} came ${gaps[i]} ms after the failure, under the ${minimum} ms backoff`));
        assert.equal(await world.metric('herald_delivery_retries_total'), 3);
        assert.equal(await world.metric('herald_notifications_failed_total', { reason: 'http_500' }), 3);
        assert.equal(await world.metric('herald_dead_letters_total'), 0);
        assert.equal((await world.channel()).lastError, null, 'the error is cleared once delivered');
      });

      it('HTTP 500 until the deadline: dead-lettered as deadline_passed', async (t) => {
        const world = await startDeliveryWorld(t, kind, { delivery: { deadlineMs: 2_000 } });
        world.emulator.setFailure('chat.postMessage', { status: 500 });
        await world.send([{ alertname: 'DiskFull', instance: 'db-1' }]);

        await eventually(async () => (await world.outbox()).some((row) => row.deadAt !== null), 'the row dead-lettered', 15_000);
        const [row, ...others] = await world.outbox();
        assert.deepEqual(others, []);
        assert.ok(row?.deadReason?.startsWith('deadline_passed'), `dead because the deadline passed: ${row?.deadReason}`);
        assert.equal(row?.deadReason, 'deadline_passed: http_500');
        assert.ok(row && row.deadAt && row.deadAt.getTime() - row.createdAt.getTime() >= 2_000, 'not before the deadline');
        const calls = world.postsTo(ALERTS).length;
        assert.ok(calls >= 2, `retried before giving up (${calls} calls)`);
        await sleep(QUIET_MS);
        assert.equal(world.postsTo(ALERTS).length, calls, 'no call after giving up');
        assert.equal(world.alertMessages().length, 0);
        assert.equal(await world.metric('herald_dead_letters_total', { reason: 'deadline_passed: http_500' }), 1);
        assert.equal(await world.metric('herald_delivery_retries_total'), calls - 1);
      });
    });

    describe('bot tokens', () => {
      it('a rotating token entering its refresh window is refreshed, and the next message uses the new one', async (t) => {
        // Tokens live 2 h 4 s: @slack/oauth refreshes them within 2 h of expiry, so 4 s after install.
        const world = await startDeliveryWorld(t, kind, { emulator: { tokenRotation: { expiresInSeconds: 7_204 } } });
        await world.send([{ alertname: 'DiskFull', instance: 'db-1' }]);
        await eventually(async () => messageFor(world, 'DiskFull') !== undefined, 'the first message');
        const issued = world.emulator.callsTo('oauth.v2.access').find((call) => call.args.grant_type !== 'refresh_token')?.response.access_token;
        assert.equal(world.postsTo(ALERTS)[0]?.token, issued, 'the first message used the token from the install');
        assert.equal(world.callsTo('oauth.v2.access').length, 0, 'no refresh yet');

        const installation = await world.db.installation.findUniqueOrThrow({ where: { id: TEAM } });
        assert.ok(installation.botTokenExpiresAt);
        await sleep(Math.max(0, installation.botTokenExpiresAt.getTime() - 7_200_000 - Date.now()) + 200);
        await world.send([{ alertname: 'CpuHigh', instance: 'db-1' }]);
        await eventually(async () => messageFor(world, 'CpuHigh') !== undefined, 'the second message');

        const refreshes = world.callsTo('oauth.v2.access').filter((call) => call.args.grant_type === 'refresh_token');
        assert.equal(refreshes.length, 1, 'one refresh');
        assert.equal(refreshes[0]?.response.ok, true);
        const refreshed = refreshes[0]?.response.access_token;
        assert.ok(typeof refreshed === 'string' && refreshed !== issued);
        const posts = world.postsTo(ALERTS);
        assert.deepEqual(posts.map((call) => call.response.ok), [true, true]);
        assert.equal(posts[1]?.token, refreshed, 'the second message used the refreshed token');
        assert.equal((await world.herald.herald.store.fetchById(TEAM)).bot?.token, refreshed, 'the new token is stored');
      });

      it(
        'a token refresh slower than the channel lease still posts the message once',
        async (t) => {
          // Tokens that live one hour are refreshed before every use. Slack's oauth.v2.access fails twice;
          // the installer's client retries it (1 s, then 2 s), longer than the 1 s lease here (60 s by
          // default, which its ten retries in about thirty minutes outlast just the same).
          const world = await startDeliveryWorld(t, kind, { delivery: { leaseMs: 1_000 }, emulator: { tokenRotation: { expiresInSeconds: 3_600 } } });
          world.emulator.setFailure('oauth.v2.access', { status: 500, times: 2 });
          await world.send([{ alertname: 'DiskFull', instance: 'db-1' }]);
          await eventually(async () => messageFor(world, 'DiskFull') !== undefined, 'the message', 15_000);
          await eventually(async () => (await world.db.outboxMessage.count()) === 0, 'the outbox to drain');
          await sleep(QUIET_MS);
          assert.deepEqual(
            world.callsTo('oauth.v2.access').map((call) => call.status),
            [500, 500, 200],
            'the refresh failed twice, then worked',
          );
          assert.equal(world.postsTo(ALERTS).length, 1, 'one chat.postMessage for one group');
          assert.equal(world.alertMessages().length, 1, 'one message in #alerts');
        },
      );

      it('token_expired: the token is looked up again and the call made once more, at once', async (t) => {
        const world = await startDeliveryWorld(t, kind);
        world.emulator.setFailure('chat.postMessage', { error: 'token_expired', times: 1 });
        await world.send([{ alertname: 'DiskFull', instance: 'db-1' }]);
        await eventually(async () => messageFor(world, 'DiskFull') !== undefined, 'the message');
        await eventually(async () => (await world.db.outboxMessage.count()) === 0, 'the outbox to drain');
        const [expired, retried, ...more] = world.postsTo(ALERTS);
        assert.deepEqual(more, []);
        assert.equal(expired?.response.error, 'token_expired');
        assert.equal(retried?.response.ok, true);
        assert.equal(retried?.token, expired?.token, 'no rotation here: the same token, looked up again');
        // Made again within the same delivery, not scheduled as a retry with backoff.
        assert.equal(await world.metric('herald_delivery_retries_total'), 0);
        assert.equal(await world.metric('herald_notifications_failed_total'), 0);
        assert.equal((await world.db.installation.findUniqueOrThrow({ where: { id: TEAM } })).active, true);
      });
    });

    it('a deleted message is posted again when its group changes', async (t) => {
      const world = await startDeliveryWorld(t, kind);
      await world.send([{ alertname: 'DiskFull', instance: 'db-1' }]);
      await eventually(async () => messageFor(world, 'DiskFull') !== undefined, 'the first message');
      const first = messageFor(world, 'DiskFull');
      assert.ok(first);
      await eventually(async () => (await world.db.alertGroup.findFirstOrThrow()).messageTs === first.ts, 'the ts stored');
      world.emulator.deleteMessage(ALERTS, first.ts);

      await world.send([
        { alertname: 'DiskFull', instance: 'db-1' },
        { alertname: 'DiskFull', instance: 'db-2' },
      ]);
      await eventually(async () => world.alertMessages().length === 1 && JSON.stringify(world.alertMessages()[0]?.attachments).includes('db-2'), 'a new message with db-2');
      await eventually(async () => (await world.db.outboxMessage.count()) === 0, 'the outbox to drain');

      const [replacement] = world.alertMessages();
      assert.ok(replacement && replacement.ts !== first.ts, 'a new message, not the deleted one');
      const updates = world.callsTo('chat.update');
      assert.deepEqual(updates.map((call) => [call.args.ts, call.response.error]), [[first.ts, 'message_not_found']]);
      const posts = world.postsTo(ALERTS);
      assert.equal(posts.length, 2);
      assert.equal(posts[1]?.response.ts, replacement.ts);
      assert.ok((posts[1]?.at ?? 0) >= (updates[0]?.at ?? Infinity), 'posted after the update was refused');
      const group = await world.db.alertGroup.findFirstOrThrow();
      assert.equal(group.messageTs, replacement.ts, 'the group now follows the new message');
      assert.equal(group.sentVersion, group.version);
      assert.equal(await world.metric('herald_dead_letters_total'), 0);
    });
  });
}
