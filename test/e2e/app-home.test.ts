// The App Home: published on app_home_opened for empty and full configurations, within Block Kit's
// limits, with buttons that act (for those allowed) and re-publish the view.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KnownBlock } from '@slack/types';
import { blockKitProblems } from '../../src/render/index.js';
import { HOME_ACTIONS } from '../../src/slack/views/homeActions.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { TEAM, herald, heraldWorld, waitFor } from '../helpers/slash.js';

interface PublishedView {
  type: string;
  blocks: KnownBlock[];
}

for (const kind of testDatabaseKinds()) {
  describe(`App Home on ${kind.name}`, () => {
    const world = heraldWorld(kind);

    /** Opens (or presses something in) the home tab and returns the view Herald publishes for `userId`. */
    async function published(userId: string, act: () => Promise<Response>): Promise<PublishedView> {
      const before = world.emulator.callsTo('views.publish').length;
      assert.equal((await act()).status, 200);
      const call = await waitFor(() => world.emulator.callsTo('views.publish').slice(before).find((c) => c.args.user_id === userId), 'views.publish');
      assert.equal(call.response.ok, true, `Slack accepted the view: ${JSON.stringify(call.response)}`);
      return call.args.view as PublishedView;
    }
    const openHome = (userId = 'U0ADMIN') => published(userId, () => world.emulator.sendEvent(TEAM, { type: 'app_home_opened', user: userId, channel: 'D0HOME', tab: 'home' }));
    const press = (actionId: string, value: string, userId = 'U0ADMIN') =>
      published(userId, () =>
        world.emulator.sendInteraction(TEAM, {
          type: 'block_actions',
          user: { id: userId, team_id: TEAM },
          container: { type: 'view', view_id: 'V0HOME' },
          view: { id: 'V0HOME', type: 'home', team_id: TEAM },
          actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1.2' }],
        }),
      );

    const problems = (view: PublishedView) => [
      ...(view.blocks.length > 100 ? [`${view.blocks.length} blocks`] : []),
      ...view.blocks.flatMap((block) => blockKitProblems({ blocks: [block] }).map((p) => p.message)),
    ];
    const buttons = (view: PublishedView, actionId: string) =>
      JSON.stringify(view.blocks).split(`"action_id":"${actionId}"`).length - 1;
    const text = (view: PublishedView) => JSON.stringify(view.blocks);

    it('shows getting started when nothing is set up', async () => {
      await herald(world.emulator, 'remove <#C0ALERTS>');
      const view = await openHome();
      assert.equal(view.type, 'home');
      assert.deepEqual(problems(view), []);
      assert.match(text(view), /Getting started/);
      assert.match(text(view), /Alert channels \(0\/20\)/);
      assert.equal(buttons(view, HOME_ACTIONS.removeChannel), 0);
    });

    it('shows a full configuration within the limits, with buttons for admins only', async () => {
      const now = Date.now();
      world.emulator.addUser(TEAM, { id: 'U0MEMBER', name: 'mo' });
      await world.db.channel.createMany({
        data: Array.from({ length: 19 }, (_, i) => ({
          installationId: TEAM,
          channelId: `C0CH${i + 10}`,
          name: `channel-${i}-${'x'.repeat(60)}`,
          addedBy: 'U0ADMIN',
          slot: i + 2,
          filters: `severity>=error team=~"${'a|'.repeat(200)}b"`,
          mutedUntil: i % 2 ? new Date(now + 3_600_000) : null,
          lastDeliveryAt: new Date(now - i * 60_000),
          lastError: i % 4 ? null : 'not_in_channel',
        })),
      });
      await world.db.ingestToken.createMany({
        data: Array.from({ length: 25 }, (_, i) => ({ installationId: TEAM, name: `token-${i}`, tokenHash: `hash-${i}`, prefix: 'hrld_abcd…', createdBy: 'U0ADMIN' })),
      });
      await world.db.silence.createMany({
        data: Array.from({ length: 40 }, (_, i) => ({ installationId: TEAM, matchers: `alertname=Disk${i},env=~"${'p|'.repeat(150)}q"`, comment: 'c'.repeat(500), createdBy: 'U0ADMIN', endsAt: new Date(now + 3_600_000 + i) })),
      });

      const view = await openHome();
      assert.deepEqual(problems(view), []);
      assert.match(text(view), /Alert channels \(20\/20\)/);
      assert.equal(buttons(view, HOME_ACTIONS.removeChannel), 20);
      assert.equal(buttons(view, HOME_ACTIONS.sendTest), 20);
      assert.equal(buttons(view, HOME_ACTIONS.expireSilence), 25);
      assert.match(text(view), /and 15 more: `\/herald silence list`/);
      assert.match(text(view), /Failing channels/);
      assert.doesNotMatch(text(view), /Getting started/);

      const memberView = await openHome('U0MEMBER');
      assert.deepEqual(problems(memberView), []);
      assert.equal(buttons(memberView, HOME_ACTIONS.removeChannel) + buttons(memberView, HOME_ACTIONS.expireSilence), 0);
    });

    it('sends a test, removes a channel and expires a silence from its buttons', async () => {
      world.emulator.addChannel(TEAM, { id: 'C0OPS', name: 'ops' });
      await herald(world.emulator, 'add <#C0OPS>');
      await herald(world.emulator, 'silence alertname=DiskFull 1h');
      const silence = await world.db.silence.findFirstOrThrow();

      const tested = await press(HOME_ACTIONS.sendTest, 'C0OPS');
      assert.match(text(tested), /Test alert sent to <#C0OPS>/);
      assert.match(String(world.emulator.messages('C0OPS')[0]?.text), /Herald test alert/);

      const removed = await press(HOME_ACTIONS.removeChannel, 'C0OPS');
      assert.match(text(removed), /Removed <#C0OPS>/);
      assert.match(text(removed), /Alert channels \(1\/20\)/);
      assert.equal(await world.db.channel.count({ where: { channelId: 'C0OPS' } }), 0);

      const expired = await press(HOME_ACTIONS.expireSilence, silence.id);
      assert.match(text(expired), new RegExp(`Expired silence \`${silence.id.slice(0, 8)}\``));
      assert.match(text(expired), /No active silences/);
      const actions = (await world.db.auditEntry.findMany({ orderBy: { createdAt: 'asc' } })).map((entry) => `${entry.actorId} ${entry.action}`);
      assert.deepEqual(actions, ['U0ADMIN channel.add', 'U0ADMIN silence.create', 'U0ADMIN channel.remove', 'U0ADMIN silence.expire']);
    });

    it('refuses buttons pressed by people who may not change the configuration', async () => {
      world.emulator.addUser(TEAM, { id: 'U0MEMBER', name: 'mo' });
      const view = await press(HOME_ACTIONS.removeChannel, 'C0ALERTS', 'U0MEMBER');
      assert.match(text(view), /Only workspace admins and owners, the person who installed Herald, and Herald's managers can change its configuration/);
      assert.equal(await world.db.channel.count({ where: { channelId: 'C0ALERTS' } }), 1);
      assert.equal(await world.db.auditEntry.count(), 0);
    });

    it('draws nothing for the Messages tab', async () => {
      const response = await world.emulator.sendEvent(TEAM, { type: 'app_home_opened', user: 'U0ADMIN', channel: 'D0HOME', tab: 'messages' });
      assert.equal(response.status, 200);
      // Both events go through the same listener and the same queries: by the time the home's view is
      // published, one for the Messages tab would have been too.
      await openHome();
      assert.equal(world.emulator.callsTo('views.publish').length, 1);
    });
  });
}
