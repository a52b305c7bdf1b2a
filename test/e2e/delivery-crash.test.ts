// Delivery survives SIGKILL: Herald runs as a child process (so no shutdown code runs), a storm of
// alert groups spread over six channels is being delivered, and Herald is killed twice mid-delivery
// (once at the worst moment: Slack has posted a message and Herald has not heard back). After the
// restarts every accepted group has its message in every channel that wants it, showing its latest
// state; the outbox drains with nothing dead-lettered. Nothing is posted twice: a post in flight
// when the process died is found in the channel's history by its metadata, not posted again.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Database } from '../../src/db/database.js';
import type { SlackEmulator } from '../emulator/index.js';
import { testDatabaseKinds, type TestDatabase } from '../helpers/databases.js';
import { freePort, heraldEnv, startEmulator } from '../helpers/herald.js';
import { createToken, eventually, postAlerts } from '../helpers/ingest.js';
import { installWorkspace } from '../helpers/install.js';
import { spawnHerald, type HeraldProcess } from '../helpers/process.js';
import {
  STORM_CHANNELS,
  isParentPost,
  observe,
  onEmulatorCall,
  parentCounts,
  parentMessages,
  prepareStormChannels,
  settled,
  stormGroups,
  stormPayload,
  type StormGroup,
} from '../helpers/storm.js';

const GROUPS = 30; // × 2 channels each = 60 parent messages, 10 per channel: about 10 s of paced sending
const KILLS = 2;

for (const kind of testDatabaseKinds()) {
  describe(`delivery across SIGKILL (${kind.name})`, () => {
    let emulator: SlackEmulator;
    let database: TestDatabase;

    beforeEach(async () => {
      emulator = await startEmulator();
      database = await kind.create();
    });
    afterEach(async () => {
      await emulator.close();
      await database.drop();
    });

    it('delivers every accepted group to every channel that wants it after kills mid-delivery', async (t) => {
      const startedAt = Date.now();
      const env = heraldEnv({ port: await freePort(), databaseUrl: database.url, emulator });
      const url = env.PUBLIC_URL as string;
      const groups = stormGroups(GROUPS);
      const wanted = new Set(groups.flatMap((group) => group.channels.map((channel) => `${channel} ${group.title}`)));
      const parentPosts = () => emulator.calls.filter(isParentPost).length;
      const outputs: string[] = [];
      let herald: HeraldProcess = await spawnHerald(env, url);
      let observer: Database | null = null;
      const restart = async (db: Database): Promise<void> => {
        outputs.push(herald.output());
        // The dead process's leases hold for the production lease time (15 s, not settable for a
        // child process). End them as their expiry would, so the test need not wait for it.
        const { count } = await db.prisma.channel.updateMany({ where: { leaseOwner: { not: null }, leaseUntil: { gt: new Date() } }, data: { leaseUntil: new Date() } });
        t.diagnostic(`leases left behind by the killed process: ${count}`);
        herald = await spawnHerald(env, url);
      };
      try {
        await installWorkspace(url, emulator);
        observer = await observe(database.url);
        const db = observer.prisma;
        await prepareStormChannels(db, emulator);
        const { token } = await createToken(db);
        const send = async (alerts: { group: StormGroup; pod: 'a' | 'b' }[]) => {
          const response = await postAlerts(url, 'alertmanager', stormPayload(alerts), { token });
          assert.equal(response.status, 202, await response.text());
        };
        // Six requests at once, each with the alerts of one route (so of two channels).
        const sendAll = (pod: 'a' | 'b') => Promise.all(Array.from({ length: 6 }, (_, i) => send(groups.filter((g) => g.index % 6 === i).map((group) => ({ group, pod })))));

        // Kill 1, at the worst moment: inside Slack's handling of a parent post, after the message
        // exists and before Herald hears back.
        await sendAll('a');
        const killAt = Math.max(parentPosts() + 2, 8); // a few posted: the second round of the six channels
        let killedAfter = -1;
        await new Promise<void>((resolve) => {
          const stop = onEmulatorCall(emulator, (call) => {
            if (!isParentPost(call) || parentPosts() < killAt) return;
            herald.child.kill('SIGKILL');
            killedAfter = parentPosts();
            stop();
            resolve();
          });
        });
        await herald.stop('SIGKILL');
        t.diagnostic(`kill 1 after ${killedAfter} of ${wanted.size} parent posts`);
        assert.ok(killedAfter < wanted.size, 'killed while messages were still being delivered');

        // Kill 2, at whatever moment the storm has reached; the second pod of every group arrives between.
        await restart(observer);
        await sendAll('b');
        await eventually(async () => parentPosts() >= killedAfter + 20, 'more messages after the restart', 30_000);
        herald.child.kill('SIGKILL');
        const secondKillAfter = parentPosts();
        await herald.stop('SIGKILL');
        t.diagnostic(`kill 2 after ${secondKillAfter} of ${wanted.size} parent posts`);
        assert.ok(secondKillAfter < wanted.size, 'killed while messages were still being delivered');

        await restart(observer);
        const done = async () => {
          if (!(await settled(db))) return false;
          const counts = parentCounts(emulator);
          return [...wanted].every((key) => (counts.get(key) ?? 0) >= 1);
        };
        await eventually(done, 'every group delivered and the outbox drained', 45_000).catch(async (error: unknown) => {
          const counts = parentCounts(emulator);
          const state = {
            unprocessed: await db.incomingAlert.count({ where: { processedAt: null } }),
            outbox: await db.outboxMessage.findMany({ select: { id: true, kind: true, channelRowId: true, attempts: true, lastError: true, deadAt: true } }),
            channels: await db.channel.findMany({ select: { channelId: true, nextSendAt: true, leaseUntil: true, brokenAt: true, lastError: true } }),
            missing: [...wanted].filter((key) => !counts.has(key)),
          };
          throw new Error(`${(error as Error).message}\n${JSON.stringify(state, null, 1)}\n${[...outputs, herald.output()].join('\n---\n')}`);
        });

        // Nothing dead-lettered, nothing left over.
        assert.equal(await db.outboxMessage.count(), 0, 'nothing dead-lettered');
        assert.equal(await db.incomingAlert.count({ where: { processedAt: null } }), 0);

        // One group per (channel, group) its filters take, whose message Herald knows and Slack has.
        const channelIds = new Map((await db.channel.findMany()).map((c) => [c.id, c.channelId]));
        const groupRows = await db.alertGroup.findMany();
        const groupKeys = groupRows.map((group) => {
          const labels = JSON.parse(group.groupLabels) as { alertname: string; instance: string };
          return `${channelIds.get(group.channelRowId)} ${labels.alertname} on ${labels.instance}`;
        });
        assert.deepEqual([...groupKeys].sort(), [...wanted].sort(), 'one group per channel and alert group');
        for (const [i, group] of groupRows.entries()) {
          const channel = channelIds.get(group.channelRowId) as string;
          assert.equal(group.status, 'firing');
          assert.ok(emulator.messages(channel).some((m) => m.ts === group.messageTs), `the message of ${groupKeys[i]} is in Slack`);
        }

        // Every channel has exactly the groups its filters take, each once: the posts in flight at a
        // kill were found in Slack, not made again.
        const counts = parentCounts(emulator);
        assert.deepEqual([...counts.keys()].filter((key) => !wanted.has(key)), [], 'no message for a group a channel does not take');
        let duplicates = 0;
        for (const channel of STORM_CHANNELS) {
          const repeats = parentMessages(emulator, channel).length - groups.filter((g) => g.channels.includes(channel)).length;
          assert.equal(repeats, 0, `${channel}: ${repeats} repeated posts after ${KILLS} kills`);
          duplicates += repeats;
        }
        assert.equal(parentPosts(), wanted.size + duplicates, 'every parent post Slack accepted is a message');
        assert.equal(emulator.messages().filter((m) => m.thread_ts !== undefined).length, 0, 'no thread replies (nothing resolved, no repeat due)');
        t.diagnostic(`repeated parent posts after ${KILLS} kills: ${duplicates}; ${emulator.calls.filter((c) => c.status === 429).length} calls answered 429; ${Date.now() - startedAt} ms`);

        // Last, every message shows its group as it stands: both pods firing.
        const stale = groupRows.flatMap((group, i) => {
          const message = emulator.messages(channelIds.get(group.channelRowId)).find((m) => m.ts === group.messageTs);
          return group.sentVersion === group.version && /^\[FIRING:2\] /.test(String(message?.text)) ? [] : [`${groupKeys[i]}: version ${group.version}, shown ${group.sentVersion}, "${message?.text}"`];
        });
        assert.deepEqual(stale, [], 'every message shows the latest state of its group');
      } finally {
        await herald.stop('SIGKILL');
        await observer?.close();
      }
    });
  });
}
