// A post whose answer never arrives: Herald (a child process, so no shutdown code runs) is killed
// inside Slack's handling of chat.postMessage, after Slack showed the message and before Herald
// heard back. The next process finds that message by its metadata (the outbox row's id) in the
// channel's history and takes it as the group's message instead of posting again; it takes the
// dead process's channel over once its short lease ends (~15 s, not a minute). Without the history
// scopes Herald cannot look, and posts again: one duplicate, never a lost alert. A live process
// renews the lease of a slow call, so nobody takes that channel over.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Database } from '../../src/db/database.js';
import { BOT_SCOPES } from '../../src/slack/scopes.js';
import type { RecordedCall, SlackEmulator } from '../emulator/index.js';
import { alertmanagerPayload, fastGrouping, type TestAlert } from '../helpers/alerts.js';
import { testDatabaseKinds, type TestDatabase } from '../helpers/databases.js';
import { ALERTS, sleep, startDeliveryWorld } from '../helpers/deliveryWorld.js';
import { freePort, heraldEnv, startEmulator } from '../helpers/herald.js';
import { createToken, eventually, postAlerts } from '../helpers/ingest.js';
import { beginInstall, finishInstall, installWorkspace } from '../helpers/install.js';
import { spawnHerald, type HeraldProcess } from '../helpers/process.js';
import { expireLeases, killOnSignal } from '../helpers/resilience.js';
import { isParentPost, observe, onEmulatorCall, parentMessages } from '../helpers/storm.js';

/** The production lease (DEFAULT_WORKER_OPTIONS.leaseMs): a killed process's channels wait this long. */
const LEASE_MS = 15_000;
const DISK_FULL: TestAlert = { alertname: 'DiskFull', instance: 'db-1' };

/** An alert message Slack accepted in `channel` (not a thread reply, not the welcome message). */
const isParentPostTo = (channel: string) => (call: RecordedCall) => isParentPost(call) && call.args.channel === channel;

for (const kind of testDatabaseKinds()) {
  describe(`a post whose answer never arrives (${kind.name})`, () => {
    let emulator: SlackEmulator;
    let database: TestDatabase;
    let herald: HeraldProcess | null = null;
    let observer: Database | null = null;
    let stopKillOnSignal = () => {};

    beforeEach(async () => {
      emulator = await startEmulator();
      database = await kind.create();
      stopKillOnSignal = killOnSignal(() => herald?.child);
    });
    afterEach(async () => {
      await herald?.stop('SIGKILL');
      herald = null;
      stopKillOnSignal();
      await observer?.close();
      observer = null;
      await emulator.close();
      await database.drop();
    });

    /** Starts Herald, sends DiskFull and kills Herald inside Slack's handling of its post; returns what Slack posted and when. */
    async function killInsidePost(env: Record<string, string>, install: (url: string) => Promise<unknown>) {
      const url = env.PUBLIC_URL as string;
      herald = await spawnHerald(env, url);
      await install(url);
      observer = await observe(database.url);
      const db = observer.prisma;
      await fastGrouping(db);
      const { token } = await createToken(db);
      const killed = new Promise<{ ts: string; at: number }>((resolve) => {
        const stop = onEmulatorCall(emulator, (call) => {
          if (!isParentPostTo(ALERTS)(call)) return;
          herald?.child.kill('SIGKILL'); // Slack has posted; Herald never hears back
          stop();
          resolve({ ts: String(call.response.ts), at: Date.now() });
        });
      });
      const response = await postAlerts(url, 'alertmanager', alertmanagerPayload([DISK_FULL]), { token });
      assert.equal(response.status, 202);
      const post = await killed;
      await herald?.stop('SIGKILL');
      const row = await db.outboxMessage.findFirstOrThrow({ where: { kind: 'post' } });
      assert.ok(row.sendingSince, 'the row was marked as being sent before the call');
      return { db, url, token, post };
    }

    it('finds the post by its metadata, posts nothing twice, and takes the dead process’s channel over after its lease', async (t) => {
      const env = heraldEnv({ port: await freePort(), databaseUrl: database.url, emulator });
      const { db, url, token, post } = await killInsidePost(env, (heraldUrl) => installWorkspace(heraldUrl, emulator));
      const channel = await db.channel.findFirstOrThrow({ where: { channelId: ALERTS } });
      const leaseEnd = (channel.leaseUntil as Date).getTime();
      assert.ok(leaseEnd <= post.at + LEASE_MS + 1_000, `the dead process's lease ends within ~15 s of the kill (${leaseEnd - post.at} ms)`);

      // The leases are left to expire by themselves.
      const calls = emulator.calls.length;
      herald = await spawnHerald(env, url);
      const readyAt = Date.now();
      await eventually(async () => (await db.alertGroup.findFirst())?.messageTs === post.ts && (await db.outboxMessage.count()) === 0, 'the group to take the found message', 60_000);
      const lookup = emulator.calls.slice(calls).find((call) => call.method === 'conversations.history' && call.args.channel === ALERTS);
      assert.ok(lookup?.response.ok, 'the history was searched');
      assert.ok(lookup.at >= leaseEnd - 50, 'a live lease is not taken over');
      assert.ok(lookup.at - post.at <= Math.max(20_000, readyAt - post.at + 3_000), `taken over ${lookup.at - post.at} ms after the kill (ready after ${readyAt - post.at} ms)`);
      t.diagnostic(`taken over ${lookup.at - post.at} ms after the kill; the new process was ready after ${readyAt - post.at} ms`);
      assert.equal(emulator.calls.filter(isParentPostTo(ALERTS)).length, 1, 'posted once');

      // Later changes edit that message.
      const response = await postAlerts(url, 'alertmanager', alertmanagerPayload([DISK_FULL, { alertname: 'DiskFull', instance: 'db-2' }]), { token });
      assert.equal(response.status, 202);
      await eventually(async () => /FIRING:2/.test(String(emulator.messages(ALERTS).find((m) => m.ts === post.ts)?.text)), 'the message to show both alerts', 20_000);
      assert.equal(parentMessages(emulator, ALERTS).length, 1, 'one alert message in the channel');
      assert.ok(emulator.calls.slice(calls).filter((c) => c.method === 'chat.update').every((c) => c.args.ts === post.ts), 'updates edit the found message');
    });

    it('posts again when it cannot look (no history scope): one duplicate, the alert not lost, a warning', async () => {
      const env = { ...heraldEnv({ port: await freePort(), databaseUrl: database.url, emulator }), LOG_LEVEL: 'warn' };
      const withoutHistory = BOT_SCOPES.filter((scope) => !scope.endsWith(':history'));
      const { db, url } = await killInsidePost(env, async (heraldUrl) => {
        const { authorizeUrl, cookie } = await beginInstall(heraldUrl);
        authorizeUrl.searchParams.set('scope', withoutHistory.join(','));
        const installed = await finishInstall(emulator.approve({ query: authorizeUrl.searchParams, teamId: 'T0ACME', userId: 'U0ADMIN', channelId: ALERTS }), cookie);
        assert.equal(installed.status, 200);
      });
      await expireLeases(db); // not what this test is about
      const calls = emulator.calls.length;
      herald = await spawnHerald(env, url);
      await eventually(async () => (await db.outboxMessage.count()) === 0 && (await db.alertGroup.findFirst())?.messageTs != null, 'the post made again', 30_000);
      const lookup = emulator.calls.slice(calls).find((call) => call.method === 'conversations.history');
      assert.equal(lookup?.response.error, 'missing_scope');
      const posts = emulator.calls.filter(isParentPostTo(ALERTS));
      assert.equal(posts.length, 2, 'posted again: one duplicate');
      assert.equal((await db.alertGroup.findFirstOrThrow()).messageTs, posts[1]?.response.ts, 'the group keeps the new message');
      await sleep(200); // the log line is written before the post; give the pipe a moment
      const warnings = herald.output().split('\n').filter((line) => line.includes('could not look in Slack'));
      assert.equal(warnings.length, 1, herald.output());
      assert.match(warnings[0] as string, /missing_scope/);
    });
  });

  describe(`a slow call keeps its channel (${kind.name})`, () => {
    it('renews the lease while the call is in flight', async (t) => {
      const world = await startDeliveryWorld(t, kind, { delivery: { leaseMs: 1_000 } });
      world.emulator.setFailure('chat.postMessage', { delayMs: 3_000, times: 1 });
      await world.send([DISK_FULL]);
      await eventually(async () => (await world.db.outboxMessage.findFirst())?.sendingSince != null, 'the post under way');
      await sleep(2_000); // twice the lease
      const channel = await world.channel();
      assert.equal(channel.leaseOwner, world.herald.herald.delivery.owner);
      assert.ok((channel.leaseUntil as Date).getTime() > Date.now(), 'the lease is still held');
      await eventually(async () => (await world.db.outboxMessage.count()) === 0, 'the post settled');
      assert.equal(world.postsTo().length, 1);
      assert.equal((await world.channel()).leaseOwner, null, 'released once settled');
    });
  });
}
