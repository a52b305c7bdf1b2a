// Slack misbehaving for a while: chat.postMessage answering HTTP 500, then a call that hangs past the
// delivery client's 10 s timeout. Herald retries (with backoff, counted on /metrics) and delivers
// every group's message. A 500 means Slack did not post, so each message arrives exactly once. A
// timed-out call is different: the emulator, like Slack, still carries it out after the delay. The
// retry first looks for it in the channel's history (by its metadata), but it is not there yet, so
// the retry posts again: one extra message per timed-out call, at most.
// Last, a post that is only slow (answered inside the timeout) while its group changes meanwhile.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testDatabaseKinds } from '../helpers/databases.js';
import { heraldPerTest } from '../helpers/herald.js';
import { createToken, eventually, postAlerts } from '../helpers/ingest.js';
import { routedPayload, routedTitle, routeOneGroupPerChannel, waitForDelivery } from '../helpers/resilience.js';
import { counterValue, isParentPost, parentMessages } from '../helpers/storm.js';

const CHANNELS = ['C0ALERTS', 'C0A', 'C0B'] as const;
/** The delivery client's timeout (src/delivery/slackClient.ts) is 10 s; this call outlasts it. */
const HANG_MS = 12_000;

for (const kind of testDatabaseKinds()) {
  describe(`delivery through a Slack outage (${kind.name})`, () => {
    // Slack's rate limit is not what these tests are about: a generous one, and a short pace.
    const world = heraldPerTest(kind, { install: true, emulator: { rateLimit: { perSecond: 50, burst: 50 } }, delivery: { paceMs: 100 } });

    it('retries chat.postMessage through HTTP 500s and posts every group exactly once', async (t) => {
      const db = world.herald.herald.database.prisma;
      const { emulator } = world;
      const url = world.herald.url;
      await routeOneGroupPerChannel(db, emulator, CHANNELS);
      const { token } = await createToken(db);
      const retriesBefore = await counterValue(url, 'herald_delivery_retries_total');

      // Two groups per channel; the first FAILURES posts, whichever channels they are for, answer 500.
      const FAILURES = 6;
      emulator.setFailure('chat.postMessage', { status: 500, times: FAILURES });
      const groups = CHANNELS.flatMap((_, route) => [`Outage${route}a`, `Outage${route}b`].map((group) => ({ group, route })));
      const response = await postAlerts(url, 'alertmanager', routedPayload(groups.map(({ group, route }) => ({ group, route, id: `${group}-1` }))), { token });
      assert.equal(response.status, 202, await response.text());

      await eventually(async () => emulator.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 500).length === FAILURES, 'the 500s', 15_000);
      await waitForDelivery(db, emulator, { timeoutMs: 30_000 });

      // Every group's message, exactly once, in the channel its route names, and it is the one Herald keeps.
      for (const { group, route } of groups) {
        const channel = CHANNELS[route] as string;
        const messages = parentMessages(emulator, channel).filter((m) => m.title === routedTitle(group));
        assert.equal(messages.length, 1, `${group} in ${channel}: ${messages.length} messages`);
        const row = await db.alertGroup.findFirstOrThrow({ where: { groupLabels: { contains: `"${group}"` } } });
        assert.equal(row.messageTs, messages[0]?.ts);
      }
      assert.equal(emulator.messages().filter((m) => m.thread_ts === undefined && /Outage/.test(String(m.text))).length, groups.length);

      // Each 500 was one retry; nothing else failed (429s would count too: there are none at this rate).
      const rateLimited = emulator.calls.filter((c) => c.status === 429).length;
      assert.equal(rateLimited, 0);
      assert.equal((await counterValue(url, 'herald_delivery_retries_total')) - retriesBefore, FAILURES);
      assert.equal(await counterValue(url, 'herald_notifications_failed_total', 'reason="http_500"'), FAILURES);
      assert.equal(await counterValue(url, 'herald_notifications_sent_total', 'kind="post"'), groups.length);
      assert.equal(await db.outboxMessage.count(), 0, 'nothing dead-lettered');
      t.diagnostic(`${FAILURES} answers 500, ${FAILURES} retries, ${groups.length} messages`);
    });

    it('retries a chat.postMessage that timed out; Slack having posted it after all costs one extra message', async (t) => {
      const db = world.herald.herald.database.prisma;
      const { emulator } = world;
      const url = world.herald.url;
      await routeOneGroupPerChannel(db, emulator, CHANNELS);
      const { token } = await createToken(db);
      const retriesBefore = await counterValue(url, 'herald_delivery_retries_total');
      const send = async (alerts: Parameters<typeof routedPayload>[0]) => {
        const response = await postAlerts(url, 'alertmanager', routedPayload(alerts), { token });
        assert.equal(response.status, 202, await response.text());
      };
      const messagesOf = (group: string, channel: string) => parentMessages(emulator, channel).filter((m) => m.title === routedTitle(group));

      // The next chat.postMessage hangs for 12 s: the one for Hung, in C0ALERTS.
      emulator.setFailure('chat.postMessage', { delayMs: HANG_MS, times: 1 });
      const hungAt = Date.now();
      await send([{ group: 'Hung', route: 0, id: 'hung-1' }]);
      const hungRow = () => db.alertGroup.findFirstOrThrow({ where: { groupLabels: { contains: '"Hung"' } }, include: { channel: true } });
      await eventually(async () => (await db.channel.findFirst({ where: { channelId: 'C0ALERTS', leaseOwner: { not: null } } })) !== null, 'the call for Hung under way');
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // the request has reached Slack by now

      // Other channels are not held up by the hanging call.
      await send([{ group: 'Meanwhile', route: 1, id: 'meanwhile-1' }]);
      await eventually(async () => messagesOf('Meanwhile', 'C0A').length === 1, 'the message of another channel while the call hangs', 8_000);
      assert.equal(messagesOf('Hung', 'C0ALERTS').length, 0, 'the hanging call has not been carried out yet');
      assert.ok(Date.now() - hungAt < 10_000, 'still within the client timeout');

      // The client gives up after 10 s; Herald backs off and posts again. Two seconds later the
      // emulator carries out the hung call too, as Slack does with a request it received.
      await waitForDelivery(db, emulator, { timeoutMs: 20_000 });
      const retried = await hungRow();
      assert.ok(retried.messageTs, 'Hung has its message');
      await eventually(async () => messagesOf('Hung', 'C0ALERTS').length === 2, 'the hung call carried out after its delay', 10_000);
      const hungPosts = emulator.calls.filter((c) => isParentPost(c) && c.args.channel === 'C0ALERTS' && String(c.args.text).includes('Hung'));
      assert.equal(hungPosts.length, 2, 'one post by the retry, one by the timed-out call');
      const [retry, late] = hungPosts;
      assert.ok(retry && late && retry.at < late.at);
      assert.ok(late.at - hungAt >= HANG_MS - 500, 'the timed-out call was carried out when its delay ended');
      // Herald keeps the message of the call it heard back from; the other is the extra one.
      assert.equal(retried.messageTs, retry.response.ts);
      assert.notEqual(retried.messageTs, late.response.ts);

      // The group keeps being updated in its own message, not in the extra one.
      await send([{ group: 'Hung', route: 0, id: 'hung-1' }, { group: 'Hung', route: 0, id: 'hung-2' }]);
      await eventually(async () => emulator.messages('C0ALERTS').some((m) => m.ts === retried.messageTs && /^\[FIRING:2\]/.test(String(m.text))), 'the update of Hung');
      await waitForDelivery(db, emulator, { timeoutMs: 10_000 });
      assert.match(String(emulator.messages('C0ALERTS').find((m) => m.ts === late.response.ts)?.text), /^\[FIRING:1\]/);

      assert.equal((await counterValue(url, 'herald_delivery_retries_total')) - retriesBefore, 1, 'one retry, for the timed-out call');
      const reasons = (await (await fetch(`${url}/metrics`)).text()).split('\n').filter((line) => line.startsWith('herald_notifications_failed_total{'));
      assert.equal(await counterValue(url, 'herald_notifications_failed_total'), 1, reasons.join('\n'));
      assert.equal(messagesOf('Meanwhile', 'C0A').length, 1);
      assert.equal(await db.outboxMessage.count(), 0, 'nothing dead-lettered');
      t.diagnostic(`timed-out call: ${reasons.join(', ')}; retried after ${retry.at - hungAt} ms, the hung call carried out after ${late.at - hungAt} ms`);
    });

    // A regression test: before 82e18c7, settling the post queued the follow-up update while the sent
    // row was still in the outbox, where it counted as the update already waiting, so none was queued.
    it('updates a group that changed while Slack was slow to answer its post', async () => {
      const db = world.herald.herald.database.prisma;
      const { emulator } = world;
      const url = world.herald.url;
      await routeOneGroupPerChannel(db, emulator, CHANNELS);
      const { token } = await createToken(db);
      const send = async (alerts: Parameters<typeof routedPayload>[0]) => {
        const response = await postAlerts(url, 'alertmanager', routedPayload(alerts), { token });
        assert.equal(response.status, 202, await response.text());
      };
      // Slack takes 3 s to answer the post (inside the client's timeout: a success, not a retry);
      // meanwhile a second alert joins the group and its group_interval (1 s) passes.
      emulator.setFailure('chat.postMessage', { delayMs: 3_000, times: 1 });
      await send([{ group: 'Slow', route: 0, id: 'slow-1' }]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await send([{ group: 'Slow', route: 0, id: 'slow-1' }, { group: 'Slow', route: 0, id: 'slow-2' }]);
      await eventually(async () => emulator.calls.some((c) => isParentPost(c) && String(c.args.text).includes('Slow')), 'the slow post', 10_000);
      // The group's message must come to show both alerts.
      await waitForDelivery(db, emulator, { timeoutMs: 10_000 });
      const row = await db.alertGroup.findFirstOrThrow({ where: { groupLabels: { contains: '"Slow"' } } });
      assert.match(String(emulator.messages('C0ALERTS').find((m) => m.ts === row.messageTs)?.text), /^\[FIRING:2\]/);
      assert.equal(parentMessages(emulator, 'C0ALERTS').filter((m) => m.title === routedTitle('Slow')).length, 1);
    });
  });
}
