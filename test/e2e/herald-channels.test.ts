// /herald add, remove, list, test, mute, unmute, help and audit, through signed requests, on every database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testDatabaseKinds } from '../helpers/databases.js';
import { TEAM, herald, heraldWorld } from '../helpers/slash.js';

for (const kind of testDatabaseKinds()) {
  describe(`/herald channels on ${kind.name}`, () => {
    const world = heraldWorld(kind);
    const channel = (channelId: string) => world.db.channel.findUnique({ where: { installationId_channelId: { installationId: TEAM, channelId } } });

    it('adds a channel with filters, updates them, lists and removes it, and audits each change', async () => {
      world.emulator.addChannel(TEAM, { id: 'C0OPS', name: 'ops-critical' });
      const added = await herald(world.emulator, 'add <#C0OPS|ops-critical> severity>=critical team=~"db|cache"');
      assert.match(added.text, /Alerts now go to <#C0OPS>: `severity>=critical team=~"db\|cache"`. \(2 of 20 channels\.\)/);
      const stored = await channel('C0OPS');
      assert.equal(stored?.name, 'ops-critical');
      assert.equal(stored?.filters, 'severity>=critical team=~"db|cache"');
      assert.equal(stored?.addedBy, 'U0ADMIN');
      assert.ok(world.emulator.callsTo('conversations.info').some((call) => call.args.channel === 'C0OPS'), 'Herald looked the channel up');

      const updated = await herald(world.emulator, 'add <#C0OPS> severity>=error');
      assert.equal(updated.text, ':white_check_mark: Updated <#C0OPS>: it now takes `severity>=error`.');
      assert.equal((await channel('C0OPS'))?.filters, 'severity>=error');

      const list = await herald(world.emulator, 'list');
      assert.match(list.text, /^\*Alert channels \(2 of 20\)\*/);
      assert.match(list.text, /<#C0ALERTS> · all alerts · nothing delivered yet/);
      assert.match(list.text, /<#C0OPS> · `severity>=error` · nothing delivered yet/);

      const removed = await herald(world.emulator, 'remove C0OPS');
      assert.equal(removed.text, ':white_check_mark: Removed <#C0OPS>: Herald no longer posts alerts there.');
      assert.equal(await channel('C0OPS'), null);
      const again = await herald(world.emulator, 'remove <#C0OPS>');
      assert.equal(again.text, '<#C0OPS> is not an alert channel; `/herald list` shows those that are.');

      const audit = await world.db.auditEntry.findMany({ where: { installationId: TEAM }, orderBy: { createdAt: 'asc' } });
      assert.deepEqual(audit.map((entry) => [entry.actorId, entry.action]), [
        ['U0ADMIN', 'channel.add'],
        ['U0ADMIN', 'channel.update'],
        ['U0ADMIN', 'channel.remove'],
      ]);
      assert.equal(audit[0]?.detail, '#ops-critical (C0OPS), filters severity>=critical team=~"db|cache"');

      const shownAudit = await herald(world.emulator, 'audit');
      assert.match(shownAudit.text, /^\*Latest configuration changes\*/);
      assert.equal(shownAudit.text.split('\n').length, 4);
      assert.match(shownAudit.text.split('\n')[1] ?? '', /<@U0ADMIN> `channel.remove` #ops-critical \(C0OPS\)$/);
    });

    it('refuses invalid filters with the exact reason, and stores nothing', async () => {
      world.emulator.addChannel(TEAM, { id: 'C0OPS', name: 'ops' });
      for (const [filters, reason] of [
        ['severity>=urgent', 'unknown severity "urgent" in severity>=urgent: use info, warning, error or critical'],
        ['team=~"db(cache"', 'the regex in "team=~"db(cache"" is invalid: Unterminated group'],
        ['=db', '"=db" has an empty label name: write the label before ='],
      ]) {
        const answer = await herald(world.emulator, `add <#C0OPS> ${filters}`);
        assert.equal(answer.text, `:warning: Invalid filter: ${reason}.`);
      }
      assert.equal(await channel('C0OPS'), null);
      assert.equal(await world.db.auditEntry.count(), 0);
    });

    it('checks the channel can be reached before adding it', async () => {
      const bot = world.emulator.botUserId(TEAM) ?? '';
      world.emulator.addChannel(TEAM, { id: 'C0PUBLIC', name: 'public-not-joined' });
      world.emulator.addChannel(TEAM, { id: 'G0SECRET', name: 'secret', isPrivate: true, members: ['U0ADMIN'] });
      world.emulator.addChannel(TEAM, { id: 'G0INVITED', name: 'invited', isPrivate: true, members: ['U0ADMIN', bot] });
      world.emulator.addChannel(TEAM, { id: 'C0OLD', name: 'old', isArchived: true });

      assert.match((await herald(world.emulator, 'add <#C0PUBLIC>')).text, /Alerts now go to <#C0PUBLIC>/, 'public channels work without joining (chat:write.public)');
      assert.match((await herald(world.emulator, 'add <#G0INVITED>')).text, /Alerts now go to <#G0INVITED>/);
      assert.equal(
        (await herald(world.emulator, 'add <#G0SECRET>')).text,
        ':no_entry: I cannot find <#G0SECRET>. If it is a private channel, invite me first: `/invite @Herald` in that channel, then add it again.',
      );
      assert.equal((await herald(world.emulator, 'add <#C0OLD>')).text, ':no_entry: <#C0OLD> is archived: unarchive it, or pick another channel.');
      assert.match((await herald(world.emulator, 'add <#C0GONE>')).text, /^:no_entry: I cannot find <#C0GONE>\./);
      assert.equal((await herald(world.emulator, 'add #nowhere')).text.split('\n')[0], ':warning: "#nowhere" is not a channel Slack knows: type # and pick the channel from the list.');
      assert.equal((await herald(world.emulator, 'add')).text, ':warning: add needs a channel: type # and pick it from the list.\nUsage: `/herald add #channel [filters…]`, for example `/herald add #ops-critical severity>=critical team=~"db|cache"`');

      const stored = await world.db.channel.findMany({ where: { installationId: TEAM }, orderBy: { slot: 'asc' } });
      assert.deepEqual(stored.map((c) => c.channelId), ['C0ALERTS', 'C0PUBLIC', 'G0INVITED']);
    });

    it('sends a test alert to one channel or to all, recording deliveries and errors', async () => {
      world.emulator.addChannel(TEAM, { id: 'C0OPS', name: 'ops' });
      await herald(world.emulator, 'add <#C0OPS>');
      const one = await herald(world.emulator, 'test <#C0OPS>');
      assert.equal(one.text, 'Test alert sent:\n:white_check_mark: <#C0OPS>');
      const [posted] = world.emulator.messages('C0OPS');
      assert.match(String(posted?.text), /Herald test alert/);
      assert.ok((await channel('C0OPS'))?.lastDeliveryAt);

      world.emulator.archiveChannel('C0OPS');
      const all = await herald(world.emulator, 'test');
      assert.equal(all.text, 'Test alert: 1 of 2 failed.\n:white_check_mark: <#C0ALERTS>\n:x: <#C0OPS>: the channel is archived: unarchive it, or remove it from Herald');
      assert.equal((await channel('C0OPS'))?.lastError, 'is_archived');
      assert.equal((await channel('C0ALERTS'))?.lastError, null);
      // Slack's is_archived also marks the channel broken: the list says so, and how to repair it.
      assert.match((await herald(world.emulator, 'list')).text, /<#C0OPS> .* last delivery .*\n:warning: \*broken since .*Slack said `is_archived`: the channel is archived\. Unarchive it/);

      assert.equal((await herald(world.emulator, 'test <#C0ELSE>')).text, '<#C0ELSE> is not an alert channel yet: `/herald add <#C0ELSE>` first.');
    });

    it('mutes and unmutes a channel', async () => {
      const before = Date.now();
      const muted = await herald(world.emulator, 'mute <#C0ALERTS|alerts> 1h30m');
      assert.match(muted.text, /^:mute: Muted <#C0ALERTS> for 1h30m, until <!date\^\d+\^/);
      const until = (await channel('C0ALERTS'))?.mutedUntil?.getTime() ?? 0;
      assert.ok(until >= before + 90 * 60_000 && until <= Date.now() + 90 * 60_000, 'muted for 90 minutes');
      assert.match((await herald(world.emulator, 'list')).text, /<#C0ALERTS> · all alerts · :mute: muted until/);

      assert.equal((await herald(world.emulator, 'mute <#C0ALERTS> soon')).text, ':warning: "soon" is not a duration: use a number and a unit, such as 30m, 2h, 1d or 1h30m.');
      assert.match((await herald(world.emulator, 'mute <#C0ALERTS>')).text, /^:warning: mute needs a duration/);
      assert.equal((await herald(world.emulator, 'unmute <#C0ALERTS>')).text, ':loud_sound: <#C0ALERTS> is no longer muted.');
      assert.equal((await channel('C0ALERTS'))?.mutedUntil, null);
      const actions = (await world.db.auditEntry.findMany({ orderBy: { createdAt: 'asc' } })).map((entry) => entry.action);
      assert.deepEqual(actions, ['channel.mute', 'channel.unmute']);
    });

    it('answers help, nothing and nonsense', async () => {
      const help = await herald(world.emulator, 'help');
      for (const usage of ['/herald add #channel [filters…]', '/herald token create NAME', '/herald silence MATCHERS DURATION [comment]', '/herald managers add @person', '/herald audit']) {
        assert.ok(help.text.includes(usage), `help shows ${usage}`);
      }
      assert.equal((await herald(world.emulator, '')).text, help.text, '/herald alone shows the help');
      assert.equal((await herald(world.emulator, 'frobnicate now')).text, ":thinking_face: I don't know `/herald frobnicate now`. `/herald help` lists every command.");
      assert.equal((await herald(world.emulator, 'add <#C0ALERTS> team="db')).text, ':warning: A quote is not closed in: add <#C0ALERTS> team="db.');
      assert.equal(world.emulator.responses.length, 4, 'one answer per command');
    });
  });
}
