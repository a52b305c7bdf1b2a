// Channels delivery gave up on (archived, deleted, Herald removed): `/herald list` and the App Home
// say so and how to repair it, and `/herald add` of the repaired channel resumes deliveries. The
// broken state is written to the database as delivery writes it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KnownBlock } from '@slack/types';
import { blockKitProblems, renderTestAlert } from '../../src/render/index.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { TEAM, herald, heraldWorld, waitFor } from '../helpers/slash.js';

for (const kind of testDatabaseKinds()) {
  describe(`broken channels on ${kind.name}`, () => {
    const world = heraldWorld(kind);
    const key = (channelId: string) => ({ installationId_channelId: { installationId: TEAM, channelId } });
    const channel = (channelId: string) => world.db.channel.findUniqueOrThrow({ where: key(channelId) });
    const breakChannel = (channelId: string, reason: string, at = new Date()) =>
      world.db.channel.update({ where: key(channelId), data: { brokenAt: at, brokenReason: reason, lastError: reason } });
    const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

    async function openHome(userId = 'U0ADMIN'): Promise<KnownBlock[]> {
      const before = world.emulator.callsTo('views.publish').length;
      assert.equal((await world.emulator.sendEvent(TEAM, { type: 'app_home_opened', user: userId, channel: 'D0HOME', tab: 'home' })).status, 200);
      const call = await waitFor(() => world.emulator.callsTo('views.publish').slice(before).find((c) => c.args.user_id === userId), 'views.publish');
      assert.equal(call.response.ok, true, `Slack accepted the view: ${JSON.stringify(call.response)}`);
      return (call.args.view as { blocks: KnownBlock[] }).blocks;
    }

    it('shows a broken channel in /herald list, with what Slack said and the add that repairs it', async () => {
      world.emulator.addChannel(TEAM, { id: 'C0OPS', name: 'ops' });
      await herald(world.emulator, 'add <#C0OPS> severity>=critical team=~"db|cache"');
      const brokenAt = new Date(Date.now() - 3_600_000);
      await breakChannel('C0OPS', 'is_archived', brokenAt);

      const list = await herald(world.emulator, 'list', { userId: 'U0ADMIN' });
      const [, alerts, ops, problem, ...rest] = list.text.split('\n');
      assert.equal(alerts, '• <#C0ALERTS> · all alerts · nothing delivered yet');
      assert.equal(ops, '• <#C0OPS> · `severity>=critical team=~"db|cache"` · nothing delivered yet');
      assert.match(problem ?? '', new RegExp(`^:warning: \\*broken since <!date\\^${epoch(brokenAt)}\\^[^>]+>\\*, Herald posts nothing there\\. `));
      assert.ok(
        problem?.endsWith('Slack said `is_archived`: the channel is archived. Unarchive it, then `/herald add <#C0OPS> severity>=critical team=~"db|cache"` again to resume deliveries.'),
        problem,
      );
      assert.deepEqual(rest, [], 'the error that broke it is not repeated as a last error');

      await breakChannel('C0ALERTS', 'channel_not_found');
      const again = await herald(world.emulator, 'list');
      assert.match(again.text, /<#C0ALERTS> · all alerts · nothing delivered yet\n:warning: \*broken since .*Slack said `channel_not_found`: Slack cannot find the channel: it was deleted, or it is private and I am no longer in it\. If it still exists, `\/invite @Herald` there, then `\/herald add <#C0ALERTS>` again/);
    });

    it('shows broken channels on the App Home, within its limits', async () => {
      world.emulator.addChannel(TEAM, { id: 'C0OPS', name: 'ops' });
      await herald(world.emulator, 'add <#C0OPS>');
      await herald(world.emulator, 'grouping <#C0OPS> repeat_interval=1h');
      await breakChannel('C0OPS', 'not_in_channel');
      await world.db.channel.update({ where: key('C0ALERTS'), data: { lastError: 'ratelimited' } });

      const blocks = await openHome();
      assert.deepEqual(blocks.flatMap((block) => blockKitProblems({ blocks: [block] }).map((p) => p.message)), []);
      const text = JSON.stringify(blocks);
      assert.match(text, /<#C0OPS> · all alerts · grouping `repeat_interval=1h` · nothing delivered yet\\n:warning: \*broken since <!date\^\d+\^[^>]+>\*, Herald posts nothing there\. Slack said `not_in_channel`: I was removed from the channel\. Invite me back with `\/invite @Herald` there, then `\/herald add <#C0OPS>` again to resume deliveries\./);
      assert.match(text, /:warning: \*Failing channels\*\\n• <#C0ALERTS>: Slack is rate-limiting posts to that channel: try again in a minute\\n• <#C0OPS>: \*broken\* \(Slack said `not_in_channel`\): nothing is posted there until it is added again/);
    });

    it('repairs a broken channel when it is added again, and says deliveries resume', async () => {
      const bot = world.emulator.botUserId(TEAM) ?? '';
      world.emulator.addChannel(TEAM, { id: 'G0PRIV', name: 'incidents', isPrivate: true, members: ['U0ADMIN', bot] });
      await herald(world.emulator, 'add <#G0PRIV> severity>=error');
      // Someone removes Herald from the private channel; delivery then hears channel_not_found.
      world.emulator.removeFromChannel('G0PRIV');
      const brokenAt = new Date(Date.now() - 60_000);
      await breakChannel('G0PRIV', 'channel_not_found', brokenAt);

      const refused = await herald(world.emulator, 'add <#G0PRIV> severity>=error');
      assert.match(refused.text, /^:no_entry: I cannot find <#G0PRIV>\. If it is a private channel, invite me first/);
      assert.ok((await channel('G0PRIV')).brokenAt, 'still broken while Herald cannot reach it');

      // What delivery queued meanwhile waits for the channel instead of being posted into the void.
      const row = await channel('G0PRIV');
      await world.db.outboxMessage.create({ data: { installationId: TEAM, channelRowId: row.id, kind: 'test', payload: JSON.stringify(renderTestAlert(new Date(), 'queued-while-broken')) } });
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(world.emulator.messages('G0PRIV').length, 0, 'nothing is posted to a broken channel');

      world.emulator.joinChannel('G0PRIV', bot);
      const repaired = await herald(world.emulator, 'add <#G0PRIV> severity>=error');
      assert.equal(
        repaired.text,
        `:white_check_mark: Updated <#G0PRIV>: it now takes \`severity>=error\`. It was broken since <!date^${epoch(brokenAt)}^{date_short_pretty} {time}|${brokenAt.toISOString().slice(0, 16).replace('T', ' ')} UTC> (Slack said \`channel_not_found\`): deliveries to it resume.`,
      );
      const fixed = await channel('G0PRIV');
      assert.deepEqual([fixed.brokenAt, fixed.brokenReason, fixed.lastError, fixed.filters], [null, null, null, 'severity>=error']);
      await waitFor(() => world.emulator.messages('G0PRIV').length === 1, 'the queued message, once the channel is repaired');
      assert.doesNotMatch((await herald(world.emulator, 'list')).text, /broken|last error/);

      const audit = await world.db.auditEntry.findMany({ where: { action: 'channel.update' } });
      assert.deepEqual(
        audit.map((entry) => entry.detail),
        [`#incidents (G0PRIV), filters severity>=error, repaired (broken since ${brokenAt.toISOString()}: channel_not_found)`],
      );
    });

    it('leaves a healthy channel as it was when it is added again', async () => {
      await world.db.channel.update({ where: key('C0ALERTS'), data: { lastError: 'ratelimited' } });
      const updated = await herald(world.emulator, 'add <#C0ALERTS> severity>=warning');
      assert.equal(updated.text, ':white_check_mark: Updated <#C0ALERTS>: it now takes `severity>=warning`.');
      const row = await channel('C0ALERTS');
      assert.deepEqual([row.brokenAt, row.lastError], [null, 'ratelimited']);
      assert.equal((await world.db.auditEntry.findFirstOrThrow({ where: { action: 'channel.update' } })).detail, '#alerts (C0ALERTS), filters severity>=warning');
    });
  });
}
