// Slack's rate limit on chat.postMessage (about one message a second per channel), end to end:
// a Herald paced faster than Slack allows is answered 429 with Retry-After, waits what Slack said
// before calling that channel again, and still delivers every group exactly once; at its default
// pace it is never answered 429 at all. Real HTTP, real databases, the real worker.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testDatabaseKinds } from '../helpers/databases.js';
import { ALERTS, SLACK_PACE, headerText, startDeliveryWorld, type DeliveryWorld } from '../helpers/deliveryWorld.js';
import { eventually } from '../helpers/ingest.js';

/** Scheduling slack for comparing millisecond timestamps taken by different parts of the test. */
const SLACK_MS = 50;

const stormNames = (count: number) => Array.from({ length: count }, (_, i) => `Storm${String(i + 1).padStart(2, '0')}`);

/** Every name has exactly one top-level alert message in #alerts, and there is nothing else. */
function assertEachPostedOnce(world: DeliveryWorld, names: string[]): void {
  const headers = world.alertMessages().map(headerText);
  assert.equal(headers.length, names.length, `one message per group: ${headers.join('\n')}`);
  for (const name of names) {
    assert.equal(headers.filter((header) => header.includes(`Firing: ${name}`)).length, 1, `${name} posted exactly once`);
  }
  assert.equal(world.emulator.messages(ALERTS).filter((m) => m.thread_ts !== undefined).length, 0, 'no thread replies');
}

for (const kind of testDatabaseKinds()) {
  describe(`delivery under Slack's rate limit (${kind.name})`, () => {
    it('waits out every 429 for its Retry-After and delivers each of 15 groups exactly once', async (t) => {
      const world = await startDeliveryWorld(t, kind, {
        delivery: { paceMs: 50 }, // far faster than Slack's 2 a second below: Herald will be answered 429
        emulator: { rateLimit: { perSecond: 2, burst: 2 } },
        recordHeaders: true,
      });
      const names = stormNames(15);
      await world.send(names.map((alertname) => ({ alertname, instance: 'web-1' })));

      await eventually(async () => world.alertMessages().length >= names.length, 'all 15 groups in #alerts', 60_000);
      await eventually(async () => (await world.db.outboxMessage.count()) === 0, 'the outbox to drain, nothing dead-lettered', 10_000);
      assertEachPostedOnce(world, names);

      const posts = world.postsTo(ALERTS);
      const limited = posts.filter((call) => call.status === 429);
      assert.ok(limited.length > 0, 'Slack answered some calls 429');
      assert.deepEqual(
        posts.filter((call) => call.status !== 429).map((call) => [call.status, call.response.ok]),
        names.map(() => [200, true]),
        'apart from the 429s, one successful call per group: nothing posted twice, nothing failed otherwise',
      );
      for (const call of limited) assert.equal(call.response.error, 'ratelimited');

      // The proxy saw the same calls to #alerts, in the same order (one sender per channel), with the headers.
      const proxied = world.proxy?.calls.filter((call) => call.method === 'chat.postMessage' && call.channel === ALERTS).slice(-posts.length) ?? [];
      assert.deepEqual(proxied.map((call) => call.status), posts.map((call) => call.status), 'the proxy and the emulator agree on the calls');

      for (let i = 0; i < posts.length; i++) {
        const call = posts[i];
        const seen = proxied[i];
        if (call?.status !== 429 || !seen) continue;
        const retryAfter = seen.retryAfter;
        assert.ok(retryAfter !== undefined && retryAfter >= 1, `a 429 carries Retry-After (got ${retryAfter})`);
        const next = posts[i + 1];
        const nextSeen = proxied[i + 1];
        assert.ok(next && nextSeen, 'every 429 is followed by another try (every group arrived)');
        const waited = next.at - call.at;
        assert.ok(waited >= retryAfter * 1000 - SLACK_MS, `call ${i + 1} was answered 429 with Retry-After: ${retryAfter}, yet the next call to #alerts came ${waited} ms later`);
        // Measured where Herald sees it: from the 429 reaching Herald to the next request leaving it.
        const waitedAtHerald = nextSeen.requestAt - seen.responseAt;
        assert.ok(waitedAtHerald >= retryAfter * 1000 - SLACK_MS, `Herald called again ${waitedAtHerald} ms after a Retry-After: ${retryAfter}`);
      }

      assert.equal(await world.metric('herald_slack_rate_limited_total'), limited.length, 'each 429 is counted');
      assert.equal(await world.metric('herald_notifications_failed_total', { reason: 'ratelimited' }), limited.length);
      assert.equal(await world.metric('herald_notifications_sent_total', { kind: 'post' }), names.length);
      assert.equal(await world.metric('herald_dead_letters_total'), 0);
    });

    it('at its default pace of one call a second is never answered 429 by Slack', async (t) => {
      const world = await startDeliveryWorld(t, kind, { delivery: { paceMs: 1_000 }, emulator: { rateLimit: SLACK_PACE } });
      const names = stormNames(8);
      await world.send(names.map((alertname) => ({ alertname, instance: 'web-1' })));

      await eventually(async () => world.alertMessages().length >= names.length, 'all 8 groups in #alerts', 30_000);
      await eventually(async () => (await world.db.outboxMessage.count()) === 0, 'the outbox to drain', 5_000);
      assertEachPostedOnce(world, names);

      const posts = world.postsTo(ALERTS);
      assert.deepEqual(posts.map((call) => call.status), names.map(() => 200), 'zero 429s: one call per group, each accepted');
      for (let i = 1; i < posts.length; i++) {
        const gap = (posts[i]?.at ?? 0) - (posts[i - 1]?.at ?? 0);
        assert.ok(gap >= 1_000 - SLACK_MS, `calls ${i} and ${i + 1} to #alerts came ${gap} ms apart, under the 1 s pace`);
      }
      assert.equal(await world.metric('herald_slack_rate_limited_total'), 0);
      assert.equal(await world.metric('herald_delivery_retries_total'), 0);
    });
  });
}
