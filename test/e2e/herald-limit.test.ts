// At most 20 alert channels per workspace, held by the database even when adds race each other.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testDatabaseKinds } from '../helpers/databases.js';
import { TEAM, asSlackSends, herald, heraldWorld, shown, waitFor } from '../helpers/slash.js';

const LIMIT_REACHED =
  ':no_entry: This workspace already has 20 alert channels, the most Herald allows. Free a slot with `/herald remove #channel` (`/herald list` shows them all), then add this one again.';

for (const kind of testDatabaseKinds()) {
  describe(`the 20-channel limit on ${kind.name}`, () => {
    const world = heraldWorld(kind);
    const channelIds = Array.from({ length: 25 }, (_, i) => `C0CH${String(i + 1).padStart(2, '0')}`);
    const stored = () => world.db.channel.findMany({ where: { installationId: TEAM }, orderBy: { slot: 'asc' } });

    it('stores exactly 20 of 25 concurrent adds, and refuses the rest naming the limit', async () => {
      await herald(world.emulator, 'remove <#C0ALERTS>'); // start from none: the install added #alerts
      for (const id of channelIds) world.emulator.addChannel(TEAM, { id, name: id.toLowerCase() });
      const before = world.emulator.responses.length;
      const acks = await Promise.all(
        channelIds.map((id) => world.emulator.sendCommand({ teamId: TEAM, userId: 'U0ADMIN', channelId: 'C0ALERTS', text: asSlackSends(`add <#${id}> severity>=error`) })),
      );
      assert.deepEqual(acks.map((ack) => ack.status), channelIds.map(() => 200));
      const answers = await waitFor(() => (world.emulator.responses.length === before + 25 ? world.emulator.responses.slice(before) : null), '25 answers');
      const texts = answers.map((answer) => shown(String((answer.body as { text?: string }).text)));
      assert.equal(texts.filter((text) => text.startsWith(':white_check_mark: Alerts now go to')).length, 20);
      assert.deepEqual(texts.filter((text) => !text.startsWith(':white_check_mark:')), Array(5).fill(LIMIT_REACHED));

      const channels = await stored();
      assert.equal(channels.length, 20);
      assert.deepEqual(channels.map((c) => c.slot), Array.from({ length: 20 }, (_, i) => i + 1));
      assert.equal(await world.db.auditEntry.count({ where: { action: 'channel.add' } }), 20);
    });

    it('refuses the 21st channel until a slot is freed', async () => {
      for (const id of channelIds) world.emulator.addChannel(TEAM, { id, name: id.toLowerCase() });
      for (const id of channelIds.slice(0, 19)) assert.match((await herald(world.emulator, `add <#${id}>`)).text, /Alerts now go to/);
      assert.equal((await stored()).length, 20);

      assert.equal((await herald(world.emulator, 'add <#C0CH20>')).text, LIMIT_REACHED);
      assert.match((await herald(world.emulator, 'add <#C0CH05> severity>=critical')).text, /Updated <#C0CH05>/, 'a full workspace may still change filters');
      await herald(world.emulator, 'remove <#C0CH01>');
      assert.match((await herald(world.emulator, 'add <#C0CH20>')).text, /Alerts now go to <#C0CH20>: all alerts\. \(20 of 20 channels\.\)/);
      assert.equal((await stored()).length, 20);
    });
  });
}
