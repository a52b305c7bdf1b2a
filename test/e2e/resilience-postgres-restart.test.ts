// PostgreSQL crashing and coming back under load: Herald (a child process) keeps serving HTTP, says
// so on /readyz (503 while the database is away, 200 again by itself once it is back), answers the
// alerts sent meanwhile with 503 (retry later) promptly rather than 500 or never, and loses nothing it
// answered 202 for: every such alert is stored and shown in its group's message in Slack.
//
// The PostgreSQL is the test's own (test/helpers/privatePostgres.ts), never the machine's shared one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../src/db/database.js';
import type { SlackEmulator } from '../emulator/index.js';
import { freePort, heraldEnv, startEmulator } from '../helpers/herald.js';
import { createToken, eventually } from '../helpers/ingest.js';
import { installWorkspace } from '../helpers/install.js';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/privatePostgres.js';
import { spawnHerald, type HeraldProcess } from '../helpers/process.js';
import { killOnSignal, postWithin, readyStatus, routedPayload, routedTitle, routeOneGroupPerChannel, sleep, waitForDelivery, type PostOutcome } from '../helpers/resilience.js';
import { observe, parentMessages } from '../helpers/storm.js';

const CHANNELS = ['C0ALERTS', 'C0A', 'C0B'] as const;
const GROUPS = CHANNELS.map((_, route) => ({ group: `Load${route}`, route }));
/** Longer than any answer may take: a request still unanswered then is one Herald left hanging. */
const HANG_MS = 15_000;
/** How fast an answer must come while the database is away. */
const PROMPT_MS = 5_000;
/** How long the database stays away once /readyz has said so. */
const OUTAGE_MS = 3_000;

const unavailable = privatePostgresUnavailable();

describe('PostgreSQL restarted under load', () => {
  let postgres: PrivatePostgres | null = null;
  let emulator: SlackEmulator;

  before(async () => {
    if (unavailable !== null) return;
    postgres = await startPrivatePostgres();
    emulator = await startEmulator();
  });
  after(async () => {
    if (unavailable !== null) return;
    await emulator?.close();
    await postgres?.cleanup();
  });

  it('answers 503 while the database is away, recovers by itself, and loses nothing it answered 202 for', { skip: unavailable ?? false }, async (t) => {
    const pg = postgres as PrivatePostgres;
    const startedAt = Date.now();
    const log: string[] = [];
    const note = (line: string) => {
      log.push(`${Date.now() - startedAt} ms: ${line}`);
      t.diagnostic(`${Date.now() - startedAt} ms: ${line}`);
    };
    const env = heraldEnv({ port: await freePort(), databaseUrl: pg.url('herald'), emulator });
    const url = env.PUBLIC_URL as string;
    const herald: HeraldProcess = await spawnHerald(env, url);
    const stopKillOnSignal = killOnSignal(() => herald.child);
    const alive = () => {
      if (herald.child.exitCode !== null || herald.child.signalCode !== null) {
        throw new Error(`Herald exited (${herald.child.exitCode ?? herald.child.signalCode}) while PostgreSQL was away:\n${herald.output().slice(-4_000)}`);
      }
    };
    const context = () => `${log.join('\n')}\n--- Herald:\n${herald.output().slice(-10_000)}\n--- PostgreSQL:\n${pg.log().slice(-5_000)}`;
    let observer: Database | null = null;
    let loading = true;
    try {
      await installWorkspace(url, emulator);
      observer = await observe(pg.url('herald'));
      // Each group's message is updated at most every 3 s: Slack calls are not always under way, so
      // the crash usually finds none in flight (one that is holds its channel; see below).
      await routeOneGroupPerChannel(observer.prisma, emulator, CHANNELS, 3);
      const { token } = await createToken(observer.prisma);
      // The test's own connections go before the outage: only Herald's are under test.
      await observer.close();
      observer = null;

      // The load: two senders, one new alert per request, round-robin over one group per channel.
      let sent = 0;
      const outcomes: (PostOutcome & { id: string; group: string })[] = [];
      const load = Promise.all(
        [0, 1].map(async () => {
          while (loading) {
            const n = sent++;
            const { group, route } = GROUPS[n % GROUPS.length] as (typeof GROUPS)[number];
            const id = `alert-${n}`;
            const outcome = await postWithin(url, routedPayload([{ group, route, id }]), token, HANG_MS);
            outcomes.push({ ...outcome, id, group });
            await sleep(40);
          }
        }),
      );
      const accepted = () => outcomes.filter((o) => o.status === 202);
      await eventually(async () => accepted().length >= 20 && emulator.messages().filter((m) => /^\[FIRING/.test(String(m.text))).length >= GROUPS.length, 'alerts accepted and delivered before the outage', 20_000);

      // The crash: no checkpoint, every connection cut.
      const stoppedAt = Date.now();
      await pg.stop('immediate');
      note(`PostgreSQL stopped (immediate) after ${accepted().length} alerts accepted`);
      const readyz: string[] = [];
      const ready = async () => {
        alive();
        const at = Date.now();
        const status = await readyStatus(url);
        readyz.push(`${status} (${Date.now() - at} ms)`);
        return status;
      };
      let downSeen = false;
      const explain = (error: Error) => {
        if (error.message.startsWith('Herald exited')) throw error;
        throw new Error(`${error.message}; /readyz answered: ${readyz.join(', ')}\n${context()}`);
      };
      await eventually(async () => (downSeen = (await ready()) === 503), '/readyz to answer 503', 10_000).catch(explain);
      note('/readyz answers 503');
      await sleep(OUTAGE_MS);
      await pg.start();
      const restartAt = Date.now();
      const duringOutage = outcomes.filter((o) => o.at >= stoppedAt && o.at < restartAt);
      note(`PostgreSQL accepts connections again after ${restartAt - stoppedAt} ms away; ${duringOutage.length} requests meanwhile`);

      // Herald finds the database again by itself.
      let readyAgain = false;
      readyz.length = 0;
      await eventually(async () => (readyAgain = (await ready()) === 200), '/readyz to answer 200 again', 30_000).catch(explain);
      const recoveredAt = Date.now();
      note(`/readyz answers 200 again, ${recoveredAt - restartAt} ms later`);
      await eventually(async () => accepted().filter((o) => o.at >= recoveredAt).length >= 20, '202s again after the recovery', 20_000);
      loading = false;
      await load;
      assert.ok(downSeen && readyAgain);
      assert.equal(herald.child.exitCode, null, 'the same Herald process throughout');
      assert.equal(herald.child.signalCode, null, 'the same Herald process throughout');

      // What the senders were told: 202 or 503, promptly; 503s while the database was away.
      const byStatus = new Map<string, number>();
      for (const o of outcomes) byStatus.set(String(o.status), (byStatus.get(String(o.status)) ?? 0) + 1);
      note(`answers: ${JSON.stringify(Object.fromEntries(byStatus))}`);
      const odd = outcomes.filter((o) => o.status !== 202 && o.status !== 503);
      assert.deepEqual(odd.map((o) => `${o.status} after ${o.ms} ms: ${o.body}`), [], 'only 202 and 503 (never 500, never a hang)');
      const unavailableAnswers = outcomes.filter((o) => o.status === 503);
      assert.ok(duringOutage.some((o) => o.status === 503), 'requests sent while the database was away were answered 503');
      for (const o of unavailableAnswers) {
        assert.match(o.body, /database unavailable/);
        assert.ok(o.ms < PROMPT_MS, `a 503 took ${o.ms} ms`);
      }
      const slowest = Math.max(...duringOutage.map((o) => o.ms));
      note(`slowest answer while the database was away: ${slowest} ms`);
      assert.ok(slowest < PROMPT_MS, `an answer during the outage took ${slowest} ms`);

      // Everything answered 202, before and after, is stored…
      observer = await observe(pg.url('herald'));
      const db = observer.prisma;
      const stored = new Map<string, string>();
      for (const row of await db.incomingAlert.findMany({ select: { labels: true } })) {
        const labels = JSON.parse(row.labels) as { alert: string; alertname: string };
        stored.set(labels.alert, labels.alertname);
      }
      const lost = accepted().filter((o) => !stored.has(o.id));
      assert.deepEqual(lost.map((o) => o.id), [], 'every alert answered 202 is stored');
      note(`${accepted().length} alerts answered 202, ${stored.size} stored (${stored.size - accepted().length} more: committed, but the answer was 503)`);

      // …and delivered: each group's message shows every alert of the group. A channel whose Slack call
      // was under way when the database went away stays leased to this (live) process until the lease
      // expires (60 s for a child process) before it is sent to again: that is waited for, and reported.
      const deliveryFrom = Date.now();
      await waitForDelivery(db, emulator, {
        timeoutMs: 20_000,
        extraMs: (state) => Math.max(0, ...state.leases.map((lease) => lease.leaseUntil.getTime() + 10_000 - deliveryFrom)),
        context,
      });
      const cut = herald.output().split('\n').filter((line) => line.includes('failed unexpectedly')).length;
      note(`delivered ${Date.now() - deliveryFrom} ms after the load stopped; ${cut} sends cut by the outage (each holds its channel until its lease expires)`);
      for (const { group, route } of GROUPS) {
        const channel = CHANNELS[route] as string;
        const row = await db.alertGroup.findFirstOrThrow({ where: { groupLabels: { contains: `"${group}"` } }, include: { _count: { select: { alerts: true } } } });
        const acceptedHere = accepted().filter((o) => o.group === group).length;
        const storedHere = [...stored.values()].filter((name) => name === group).length;
        assert.equal(row._count.alerts, storedHere, `${group}: every stored alert is in its group`);
        assert.ok(storedHere >= acceptedHere);
        const message = emulator.messages(channel).find((m) => m.ts === row.messageTs);
        assert.ok(message, `${group}'s message is in ${channel}`);
        assert.match(String(message.text), new RegExp(`^\\[FIRING:${storedHere}\\] `), `${group}'s message shows all ${storedHere} alerts`);
        // A post cut by the outage after Slack took it is posted again: one extra message at most.
        const parents = parentMessages(emulator, channel).filter((m) => m.title === routedTitle(group));
        assert.ok(parents.length >= 1 && parents.length <= 2, `${group}: ${parents.length} messages in ${channel}`);
      }
      assert.equal(await db.outboxMessage.count(), 0, 'nothing dead-lettered');
      note(`${Date.now() - startedAt} ms in all`);
    } finally {
      loading = false;
      await herald.stop('SIGKILL');
      stopKillOnSignal();
      await observer?.close();
    }
  });
});
