// Two Herald processes on one PostgreSQL database share the delivery work without sending anything
// twice: planning is serialized (an advisory lock) and channels are leased (FOR UPDATE SKIP
// LOCKED), so each group gets one message per channel and one resolved reply, whichever process
// accepted its alerts and whichever sends. Which process sends to a channel is a race, which one
// process can win every time (the one that last called a channel comes back by timer the moment its
// pace allows; the other polls), so the test then stops the busier one and checks that the other
// delivers the next alerts alone. Both processes are real child processes, as in production.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../src/db/database.js';
import type { SlackEmulator } from '../emulator/index.js';
import { testDatabaseKinds, type TestDatabase } from '../helpers/databases.js';
import { freePort, heraldEnv, startEmulator } from '../helpers/herald.js';
import { createToken, eventually, postAlerts } from '../helpers/ingest.js';
import { installWorkspace } from '../helpers/install.js';
import { spawnHerald, type HeraldProcess } from '../helpers/process.js';
import {
  STORM_CHANNELS,
  counterValue,
  isParentPost,
  observe,
  parentCounts,
  parentMessages,
  prepareStormChannels,
  settled,
  stormGroups,
  stormPayload,
  type StormGroup,
} from '../helpers/storm.js';

const postgres = testDatabaseKinds().find((kind) => kind.name === 'postgresql');
const GROUPS = 18; // × 2 channels each = 36 messages, 6 per channel

describe('two Herald processes on one PostgreSQL database', { skip: postgres ? false : 'TEST_POSTGRES_URL is not set: two processes need one shared PostgreSQL database' }, () => {
  let emulator: SlackEmulator;
  let database: TestDatabase;
  let observer: Database | null = null;
  const heralds: HeraldProcess[] = [];

  before(async () => {
    emulator = await startEmulator();
    database = await (postgres as NonNullable<typeof postgres>).create();
  });
  after(async () => {
    await Promise.all(heralds.map((herald) => herald.stop()));
    await observer?.close();
    await emulator.close();
    await database.drop();
  });

  it('posts each group once per channel and resolves it once, with both processes delivering', async (t) => {
    const startedAt = Date.now();
    // Same database, same encryption key (heraldEnv's default), same Slack; one port each. Started
    // one after the other, so the second finds the schema migrated.
    const urls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const env = heraldEnv({ port: await freePort(), databaseUrl: database.url, emulator });
      const url = env.PUBLIC_URL as string;
      heralds.push(await spawnHerald(env, url));
      urls.push(url);
    }
    await installWorkspace(urls[0] as string, emulator);
    observer = await observe(database.url);
    const db = observer.prisma;
    await prepareStormChannels(db, emulator);
    const { token } = await createToken(db);

    const groups = stormGroups(GROUPS);
    const wanted = new Set(groups.flatMap((group) => group.channels.map((channel) => `${channel} ${group.title}`)));
    const expectedPerChannel = (channel: string) => groups.filter((g) => g.channels.includes(channel)).length;
    const send = async (to: number, alerts: { group: StormGroup; pod: 'a' | 'b'; status?: 'firing' | 'resolved' }[]) => {
      const response = await postAlerts(urls[to] as string, 'alertmanager', stormPayload(alerts), { token });
      assert.equal(response.status, 202, await response.text());
    };
    // Each group's pod a goes to one process and pod b to the other, in requests of three groups
    // that alternate between the processes.
    const sendAll = async (status: 'firing' | 'resolved') => {
      for (let chunk = 0; chunk * 3 < groups.length; chunk++) {
        const members = groups.slice(chunk * 3, chunk * 3 + 3);
        await send(chunk % 2, members.map((group) => ({ group, pod: 'a' as const, status })));
        await send((chunk + 1) % 2, members.map((group) => ({ group, pod: 'b' as const, status })));
      }
    };
    const waitSettled = (what: string) =>
      eventually(() => settled(db), what, 60_000).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n${heralds.map((h) => h.output()).join('\n---\n')}`);
      });

    // Firing: one message per (channel, group), whichever process files and sends.
    await sendAll('firing');
    await waitSettled('every firing group delivered');
    assert.equal(await db.outboxMessage.count(), 0, 'nothing dead-lettered');
    const counts = parentCounts(emulator);
    assert.deepEqual([...counts.keys()].sort(), [...wanted].sort(), 'a message for every (channel, group) the filters take, and no other');
    assert.deepEqual([...counts.entries()].filter(([, n]) => n !== 1), [], 'exactly one message per (channel, group)');
    assert.equal(emulator.calls.filter(isParentPost).length, wanted.size, 'one accepted chat.postMessage per (channel, group)');
    assert.equal(await db.alertGroup.count(), wanted.size, 'one group per (channel, group)');
    const firingStale = (await db.alertGroup.findMany({ include: { channel: true } })).filter((g) => g.sentVersion !== g.version).map((g) => `${g.channel.channelId} ${g.groupLabels}: version ${g.version}, shown ${g.sentVersion}`);

    // Resolved: every message turns green in place, with exactly one reply in its thread.
    await sendAll('resolved');
    await eventually(async () => (await db.alertGroup.count({ where: { openKey: { not: null } } })) === 0, 'every group closed', 30_000);
    await waitSettled('every resolved group told');
    assert.equal(await db.outboxMessage.count(), 0, 'nothing dead-lettered');
    assert.equal(emulator.calls.filter(isParentPost).length, wanted.size, 'no new parent message on resolve');
    const replies = emulator.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200 && c.response.ok === true && c.args.thread_ts !== undefined);
    for (const channel of STORM_CHANNELS) {
      const parents = parentMessages(emulator, channel);
      assert.equal(parents.length, expectedPerChannel(channel), `${channel}: its groups' messages, once each`);
      for (const parent of parents) {
        const thread = replies.filter((c) => c.args.channel === channel && c.args.thread_ts === parent.ts);
        assert.equal(thread.length, 1, `${channel} ${parent.title}: one resolved reply, not ${thread.length}`);
        assert.match(String(thread[0]?.args.text), /Resolved/);
      }
    }
    assert.equal(replies.length, wanted.size, 'no reply outside the groups\' threads');

    // Both processes sent, and together they sent what Slack received: no call made twice.
    const sentBy = await Promise.all(urls.map((url) => counterValue(url, 'herald_notifications_sent_total')));
    const slackAccepted = emulator.calls.filter((c) => (isParentPost(c) || replies.includes(c) || c.method === 'chat.update') && c.status === 200 && c.response.ok === true).length;
    t.diagnostic(`Slack calls sent by process A: ${sentBy[0]}, by process B: ${sentBy[1]}; accepted by Slack: ${slackAccepted}; ${emulator.calls.filter((c) => c.status === 429).length} answered 429; ${Date.now() - startedAt} ms`);
    assert.equal((sentBy[0] ?? 0) + (sentBy[1] ?? 0), slackAccepted, 'every Slack call made by exactly one process');

    // Last, every message shows its group as it last stood: the firing phase with both pods, now green.
    const resolvedStale = (await db.alertGroup.findMany({ include: { channel: true } }))
      .filter((g) => g.sentVersion !== g.version || !/^\[RESOLVED\] /.test(String(emulator.messages(g.channel.channelId).find((m) => m.ts === g.messageTs)?.text)))
      .map((g) => `${g.channel.channelId} ${g.groupLabels}: version ${g.version}, shown ${g.sentVersion}`);
    assert.deepEqual({ firingStale, resolvedStale }, { firingStale: [], resolvedStale: [] }, 'every message shows the latest state of its group');

    // The busier process stops (it releases its leases as it goes); the other delivers new groups alone.
    const busier = (sentBy[0] ?? 0) >= (sentBy[1] ?? 0) ? 0 : 1;
    const other = 1 - busier;
    assert.equal(await heralds[busier]?.stop(), 0, 'a clean stop');
    const later = stormGroups(GROUPS + 6).slice(GROUPS);
    const laterWanted = later.flatMap((group) => group.channels.map((channel) => `${channel} ${group.title}`));
    await send(other, later.map((group) => ({ group, pod: 'a' as const })));
    await waitSettled('the new groups delivered by the remaining process');
    const laterCounts = parentCounts(emulator);
    assert.deepEqual(laterWanted.map((key) => laterCounts.get(key)), laterWanted.map(() => 1), 'one message per new (channel, group)');
    const otherSent = await counterValue(urls[other] as string, 'herald_notifications_sent_total');
    assert.equal(otherSent - (sentBy[other] ?? 0), laterWanted.length, 'the remaining process made every new call, once');
    assert.ok((sentBy[busier] ?? 0) > 0 && otherSent > 0, 'both processes delivered');
  });
});
