// SIGKILL at random points of a storm, three times: Herald runs as a child process, a sender keeps
// POSTing the storm's alerts (retrying what got no 202, as Alertmanager does) to whichever process is
// up, and each kill lands at a point picked by a seeded random source: inside Slack's handling of
// the n-th call (Slack did it, Herald never hears back) or after a random delay (mid-ingest,
// mid-plan, mid-settle). After the last restart every accepted alert is filed and delivered: every
// open group has its message showing its latest state, the outbox is drained, nothing is dead.
// Nothing is posted twice: a post in flight at a kill is found in the channel's history by its
// metadata (Herald is in every storm channel, so it may read there), not posted again.
//
// Replay a failure with RESILIENCE_SEED=<the seed printed by the test>.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Database } from '../../src/db/database.js';
import type { RecordedCall, SlackEmulator } from '../emulator/index.js';
import { testDatabaseKinds, type TestDatabase } from '../helpers/databases.js';
import { freePort, heraldEnv, startEmulator } from '../helpers/herald.js';
import { createToken, eventually } from '../helpers/ingest.js';
import { installWorkspace } from '../helpers/install.js';
import { spawnHerald, type HeraldProcess } from '../helpers/process.js';
import { deliveryState, expireLeases, killOnSignal, postWithin, resilienceSeed, seededRandom, sleep, waitForDelivery, within, type PostOutcome } from '../helpers/resilience.js';
import { STORM_CHANNELS, isParentPost, observe, onEmulatorCall, parentCounts, parentMessages, prepareStormChannels, stormGroups, stormPayload, type StormGroup } from '../helpers/storm.js';

const KILLS = 3;
const GROUPS = 12; // × 2 channels each = 24 parent messages and as many updates (the second pod): ~8 calls per channel at 1/s

interface Payload {
  index: number;
  alerts: { group: StormGroup; pod: 'a' | 'b' }[];
  body: string;
  /** The process lifetime (0 = before the first kill) it belongs to. */
  phase: number;
}

for (const kind of testDatabaseKinds()) {
  describe(`a storm through ${KILLS} SIGKILLs (${kind.name})`, () => {
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

    it('delivers every accepted alert, posting nothing twice', async (t) => {
      const seed = resilienceSeed();
      const random = seededRandom(seed);
      t.diagnostic(`seed ${seed} (replay with RESILIENCE_SEED=${seed})`);
      const startedAt = Date.now();
      const env = heraldEnv({ port: await freePort(), databaseUrl: database.url, emulator });
      const url = env.PUBLIC_URL as string;
      const groups = stormGroups(GROUPS);
      const wanted = new Set(groups.flatMap((group) => group.channels.map((channel) => `${channel} ${group.title}`)));
      const outputs: string[] = [];
      const log: string[] = [];
      const note = (line: string) => {
        log.push(`${Date.now() - startedAt} ms: ${line}`);
        t.diagnostic(`${Date.now() - startedAt} ms: ${line}`);
      };
      const context = () => `seed ${seed}\n${log.join('\n')}\n${[...outputs, herald.output()].join('\n---\n').slice(-20_000)}`;

      let herald: HeraldProcess = await spawnHerald(env, url);
      const stopKillOnSignal = killOnSignal(() => herald.child);
      let observer: Database | null = null;
      let stopSending = false;
      try {
        await installWorkspace(url, emulator);
        observer = await observe(database.url);
        const db = observer.prisma;
        await prepareStormChannels(db, emulator);
        const { token } = await createToken(db);

        // The storm: both pods of every group, shuffled, in payloads of 1 to 3 alerts, split into one
        // portion per process lifetime, so that every restarted process is sent alerts too.
        const alerts = random.shuffle(groups.flatMap((group) => (['a', 'b'] as const).map((pod) => ({ group, pod }))));
        const payloads: Payload[] = [];
        for (let i = 0; i < alerts.length; ) {
          const size = random.int(1, 3);
          const chunk = alerts.slice(i, i + size);
          i += size;
          payloads.push({ index: payloads.length, alerts: chunk, body: stormPayload(chunk), phase: Math.min(KILLS, Math.floor((i - 1) / (alerts.length / (KILLS + 1)))) });
        }
        const gaps = payloads.map(() => random.int(50, 300));
        let phase = 0;
        const outcomes: (PostOutcome & { payload: number; phase: number })[] = [];
        const accepted = new Set<number>();
        const acceptedIn = new Map<number, number>();

        // The sender: in order; what gets no 202 (the process died, or is starting) is sent again.
        const sender = (async () => {
          for (const payload of payloads) {
            while (phase < payload.phase && !stopSending) await sleep(20);
            for (;;) {
              if (stopSending) return;
              const sentIn = phase;
              const outcome = await postWithin(url, payload.body, token, 15_000);
              outcomes.push({ ...outcome, payload: payload.index, phase: sentIn });
              if (outcome.status === 202) {
                accepted.add(payload.index);
                acceptedIn.set(sentIn, (acceptedIn.get(sentIn) ?? 0) + 1);
                break;
              }
              await sleep(250);
            }
            await sleep(gaps[payload.index] as number);
          }
        })();

        // The kills.
        let slackCalls = 0; // chat.* calls carried out since the current process was started
        const onCall: { listener: ((call: RecordedCall) => void) | null } = { listener: null };
        const stopListening = onEmulatorCall(emulator, (call) => {
          if (!call.method.startsWith('chat.')) return;
          slackCalls += 1;
          onCall.listener?.(call);
        });
        try {
          for (let kill = 1; kill <= KILLS; kill++) {
            // The process being killed has been sent alerts (and answered some).
            await eventually(async () => (acceptedIn.get(phase) ?? 0) > 0, `a 202 from process ${phase + 1}`, 20_000);
            const inCall = random.next() < 0.5;
            const afterCalls = random.int(1, 5);
            const delayMs = random.int(100, 1_500);
            let how: string;
            if (inCall) {
              // Inside Slack's handling of the n-th call from now: Slack has done it, Herald never hears back.
              const target = slackCalls + afterCalls;
              const reached = await new Promise<boolean>((resolve) => {
                const timer = setTimeout(() => resolve(false), 15_000);
                onCall.listener = (call) => {
                  if (slackCalls < target) return;
                  herald.child.kill('SIGKILL');
                  how = `inside Slack's handling of ${call.method}${isParentPost(call) ? ' (a parent post)' : ''} to ${String(call.args.channel)}, chat call ${afterCalls} of process ${phase + 1}`;
                  onCall.listener = null;
                  clearTimeout(timer);
                  resolve(true);
                };
              });
              if (!reached) {
                onCall.listener = null;
                herald.child.kill('SIGKILL');
                how = `after 15 s without ${afterCalls} chat calls`;
              }
            } else {
              await sleep(delayMs);
              herald.child.kill('SIGKILL');
              how = `${delayMs} ms after process ${phase + 1} was sent its first alerts`;
            }
            await herald.stop('SIGKILL');
            outputs.push(herald.output());
            const state = await deliveryState(db, emulator);
            const unsent = payloads.length - accepted.size;
            note(`kill ${kill} ${how!}: ${state.pending} outbox rows pending, ${state.unprocessed} alerts unfiled, ${unsent} payloads not yet accepted, ${emulator.calls.filter(isParentPost).length} parent posts so far`);
            assert.ok(state.pending + state.unprocessed + unsent > 0, `kill ${kill} came during the storm`);
            // The dead process's leases would hold for the production lease time (15 s); end them as
            // their expiry would.
            const leases = await expireLeases(db);
            await sleep(random.int(0, 300));
            const spawnedAt = Date.now();
            slackCalls = 0;
            herald = await spawnHerald(env, url);
            phase = kill;
            note(`restarted in ${Date.now() - spawnedAt} ms (${leases} leases of the killed process expired)`);
          }
        } finally {
          stopListening();
        }

        // The last process gets the rest of the storm, and delivers everything.
        await within(sender, 30_000, 'the sender to have every payload accepted');
        assert.equal(accepted.size, payloads.length, 'every payload was accepted in the end');
        for (let p = 0; p <= KILLS; p++) assert.ok((acceptedIn.get(p) ?? 0) > 0, `process ${p + 1} accepted alerts`);
        const refused = outcomes.filter((o) => o.status !== 202);
        assert.deepEqual([...new Set(refused.map((o) => o.status))].filter((s) => s !== 'connection_error' && s !== 503), [], 'a request without a 202 is one the process died on, or one sent while none listened');
        await waitForDelivery(db, emulator, { timeoutMs: 45_000, context });

        // Every accepted alert is stored, filed, and shown: both pods of every group.
        const stored = new Set(
          (await db.incomingAlert.findMany({ select: { labels: true } })).map((row) => {
            const labels = JSON.parse(row.labels) as { alertname: string; pod: string };
            return `${labels.alertname}/${labels.pod}`;
          }),
        );
        for (const payload of payloads) for (const { group, pod } of payload.alerts) assert.ok(stored.has(`${group.alertname}/${pod}`), `${group.alertname}/${pod} is stored`);

        const channelIds = new Map((await db.channel.findMany()).map((c) => [c.id, c.channelId]));
        const seen = new Set<string>();
        for (const group of await db.alertGroup.findMany({ include: { _count: { select: { alerts: true } } } })) {
          const labels = JSON.parse(group.groupLabels) as { alertname: string; instance: string };
          const channel = channelIds.get(group.channelRowId) as string;
          const key = `${channel} ${labels.alertname} on ${labels.instance}`;
          assert.ok(wanted.has(key), `unexpected group ${key}`);
          assert.ok(!seen.has(key), `two groups for ${key}`);
          seen.add(key);
          assert.equal(group.status, 'firing');
          assert.equal(group._count.alerts, 2, `${key} holds both pods`);
          const message = emulator.messages(channel).find((m) => m.ts === group.messageTs);
          assert.ok(message, `the message of ${key} is in Slack`);
          assert.match(String(message.text), /^\[FIRING:2\] /, `${key}'s message shows both pods`);
        }
        assert.equal(seen.size, wanted.size, 'every (channel, group) has its group');

        // One parent post per (channel, group): a post in flight at a kill was found, not repeated.
        const counts = parentCounts(emulator);
        assert.deepEqual([...counts.keys()].filter((key) => !wanted.has(key)), [], 'no message for a group a channel does not take');
        for (const key of wanted) assert.equal(counts.get(key) ?? 0, 1, `${key}: parent messages after ${KILLS} kills`);
        let repeats = 0;
        for (const channel of STORM_CHANNELS) {
          const extra = parentMessages(emulator, channel).length - groups.filter((g) => g.channels.includes(channel)).length;
          assert.equal(extra, 0, `${channel}: ${extra} repeated parent posts after ${KILLS} kills`);
          repeats += extra;
        }
        assert.equal(emulator.calls.filter(isParentPost).length, wanted.size + repeats, 'every parent post Slack accepted is a message');
        assert.equal(emulator.messages().filter((m) => m.thread_ts !== undefined).length, 0, 'no thread replies (nothing resolved, no reminders due)');
        t.diagnostic(
          `${payloads.length} payloads, ${outcomes.length} requests (${refused.length} without a 202), ${repeats} repeated parent posts after ${KILLS} kills, ` +
            `${emulator.calls.filter((c) => c.status === 429).length} calls answered 429; ${Date.now() - startedAt} ms`,
        );
      } finally {
        stopSending = true;
        await herald.stop('SIGKILL');
        stopKillOnSignal();
        await observer?.close();
      }
    });
  });
}
