// The backoff after a failed Slack call grows with the call's failures only: the 429s it was
// answered before are Slack pacing the channel, and a 5xx after a storm's 429s waits the first
// backoff, not one doubled for every 429. Settles real outbox rows on real databases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settleDelivery, type SettleOptions } from '../../src/delivery/settle.js';
import type { SlackOutcome } from '../../src/delivery/slackOutcome.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { DAY, SECOND, T0, TEAM, at, deliveryWorld, insertChannel, insertInstallation } from '../helpers/delivery.js';

/** `random: () => 1`: every backoff is its ceiling, 1 s · 2^(failures − 1). */
const OPTIONS: SettleOptions = { paceMs: 1_000, deadlineMs: DAY, deactivate: async () => undefined, random: () => 1 };

for (const kind of testDatabaseKinds()) {
  describe(`backoff after failed Slack calls (${kind.name})`, () => {
    const world = deliveryWorld(kind);

    it('counts failures, not 429s: a 5xx after five 429s waits 1 s, the next 2 s', async () => {
      await insertInstallation(world.db);
      const channel = await insertChannel(world.db, { channelId: 'C0ALERTS' });
      const { id } = await world.db.outboxMessage.create({ data: { installationId: TEAM, channelRowId: channel.id, kind: 'test', payload: '{"text":"hi"}', createdAt: T0 } });
      /** Settles the row's call as answered `outcome` at `now`; returns when the channel may be called again and the row's failures. */
      const settle = async (outcome: SlackOutcome, now: Date) => {
        const row = await world.db.outboxMessage.findUniqueOrThrow({ where: { id } });
        await settleDelivery(world.database, row, { ok: false, outcome }, now, OPTIONS, now);
        const after = await world.db.outboxMessage.findUniqueOrThrow({ where: { id } });
        const { nextSendAt } = await world.db.channel.findUniqueOrThrow({ where: { id: channel.id } });
        return { waitMs: nextSendAt.getTime() - now.getTime(), attempts: after.attempts, lastError: after.lastError };
      };

      for (let i = 0; i < 5; i++) {
        assert.deepEqual(await settle({ kind: 'rate_limited', retryAfterMs: 2_000 }, at(i * 2 * SECOND)), { waitMs: 2_000, attempts: 0, lastError: 'ratelimited' });
      }
      assert.deepEqual(await settle({ kind: 'transient', reason: 'http_503' }, at(10 * SECOND)), { waitMs: 1_000, attempts: 1, lastError: 'http_503' });
      assert.deepEqual(await settle({ kind: 'transient', reason: 'http_503' }, at(11 * SECOND)), { waitMs: 2_000, attempts: 2, lastError: 'http_503' });
      assert.deepEqual(await settle({ kind: 'rate_limited', retryAfterMs: 3_000 }, at(13 * SECOND)), { waitMs: 3_000, attempts: 2, lastError: 'ratelimited' });
      assert.deepEqual(await settle({ kind: 'transient', reason: 'request_failed' }, at(16 * SECOND)), { waitMs: 4_000, attempts: 3, lastError: 'request_failed' });
    });
  });
}
