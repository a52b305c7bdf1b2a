// /herald grouping: show, set and reset the workspace's grouping and a channel's overrides, through
// signed requests, on every database; every change audited, bad input refused with the reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testDatabaseKinds } from '../helpers/databases.js';
import { TEAM, herald, heraldWorld } from '../helpers/slash.js';

const REFUSED =
  ":no_entry: Only workspace admins and owners, the person who installed Herald, and Herald's managers can change its configuration. An admin can make you a manager with `/herald managers add @you`.";
const DEFAULTS = '`group_by=alertname` _(default)_ · `group_wait=10s` _(default)_ · `group_interval=1m` _(default)_ · `repeat_interval=12h` _(default)_';
const GROUPING = { groupBy: true, groupWaitSeconds: true, groupIntervalSeconds: true, repeatIntervalSeconds: true } as const;

for (const kind of testDatabaseKinds()) {
  describe(`/herald grouping on ${kind.name}`, () => {
    const world = heraldWorld(kind);
    const workspace = () => world.db.installation.findUniqueOrThrow({ where: { id: TEAM }, select: GROUPING });
    const channel = (channelId: string) => world.db.channel.findUniqueOrThrow({ where: { installationId_channelId: { installationId: TEAM, channelId } }, select: GROUPING });
    const audit = async () => (await world.db.auditEntry.findMany({ where: { installationId: TEAM }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })).map((e) => `${e.action} ${e.detail}`);
    const addOps = async () => {
      world.emulator.addChannel(TEAM, { id: 'C0OPS', name: 'ops' });
      assert.match((await herald(world.emulator, 'add <#C0OPS|ops> severity>=error')).text, /Alerts now go to <#C0OPS>/);
    };

    it("shows Herald's defaults, sets the workspace's grouping and a channel's, and shows them everywhere", async () => {
      const first = await herald(world.emulator, 'grouping');
      assert.equal(first.text.split('\n').slice(0, 3).join('\n'), `*Alert grouping for this workspace*\n${DEFAULTS}\nEvery alert channel uses these.`);
      assert.match(first.text, /`group_wait`: how long a new group waits for more alerts before its first message/);

      const set = await herald(world.emulator, 'grouping group_by=alertname,cluster group_wait=30s group_interval=5m repeat_interval=4h');
      assert.equal(set.text, ':white_check_mark: Grouping for this workspace is now `group_by=alertname,cluster` · `group_wait=30s` · `group_interval=5m` · `repeat_interval=4h`.');
      assert.deepEqual(await workspace(), { groupBy: 'alertname,cluster', groupWaitSeconds: 30, groupIntervalSeconds: 300, repeatIntervalSeconds: 4 * 3600 });

      await addOps();
      const own = await herald(world.emulator, 'grouping <#C0OPS|ops> repeat_interval=1h group_wait=0s');
      assert.equal(own.text, ':white_check_mark: Grouping in <#C0OPS> is now `group_by=alertname,cluster` _(workspace)_ · `group_wait=0s` · `group_interval=5m` _(workspace)_ · `repeat_interval=1h`.');
      assert.deepEqual(await channel('C0OPS'), { groupBy: null, groupWaitSeconds: 0, groupIntervalSeconds: null, repeatIntervalSeconds: 3600 });
      assert.deepEqual(await channel('C0ALERTS'), { groupBy: null, groupWaitSeconds: null, groupIntervalSeconds: null, repeatIntervalSeconds: null });

      const shown = await herald(world.emulator, 'grouping');
      assert.equal(
        shown.text.split('\n').slice(0, 4).join('\n'),
        '*Alert grouping for this workspace*\n`group_by=alertname,cluster` · `group_wait=30s` · `group_interval=5m` · `repeat_interval=4h`\n*Channels with settings of their own*\n• <#C0OPS> `group_wait=0s` `repeat_interval=1h`',
      );
      assert.match((await herald(world.emulator, 'grouping C0OPS')).text, /^\*Alert grouping in <#C0OPS>\*\n`group_by=alertname,cluster` _\(workspace\)_ · `group_wait=0s` · /);

      const list = await herald(world.emulator, 'list');
      assert.match(list.text, /• <#C0OPS> · `severity>=error` · grouping `group_wait=0s` `repeat_interval=1h` · nothing delivered yet/);
      assert.match(list.text, /• <#C0ALERTS> · all alerts · nothing delivered yet/);

      const overridden = await herald(world.emulator, 'grouping repeat_interval=2h');
      assert.equal(
        overridden.text,
        ':white_check_mark: Grouping for this workspace is now `group_by=alertname,cluster` · `group_wait=30s` · `group_interval=5m` · `repeat_interval=2h`.\n<#C0OPS> keeps settings of its own for this; `/herald grouping #channel reset` makes a channel follow the workspace.',
      );
      assert.equal((await workspace()).repeatIntervalSeconds, 7200);
      assert.equal((await workspace()).groupBy, 'alertname,cluster', 'the other settings stay');

      assert.deepEqual((await audit()).filter((entry) => entry.startsWith('grouping')), [
        'grouping.set workspace: group_by=alertname,cluster group_wait=30s group_interval=5m repeat_interval=4h',
        'grouping.set #ops (C0OPS): group_wait=0s repeat_interval=1h',
        'grouping.set workspace: repeat_interval=2h',
      ]);
    });

    it('resets one setting of a channel, all of them, and the workspace', async () => {
      await addOps();
      await herald(world.emulator, 'grouping group_by=... repeat_interval=1d');
      await herald(world.emulator, 'grouping <#C0OPS> group_by=cluster group_wait=1m');

      const one = await herald(world.emulator, 'grouping <#C0OPS> reset group-wait');
      assert.equal(
        one.text,
        ':white_check_mark: <#C0OPS> follows the workspace again for group_wait. Grouping in <#C0OPS> is now `group_by=cluster` · `group_wait=10s` _(default)_ · `group_interval=1m` _(default)_ · `repeat_interval=1d` _(workspace)_.',
      );
      assert.deepEqual(await channel('C0OPS'), { groupBy: 'cluster', groupWaitSeconds: null, groupIntervalSeconds: null, repeatIntervalSeconds: null });

      const all = await herald(world.emulator, 'grouping <#C0OPS> RESET');
      assert.match(all.text, /^:white_check_mark: <#C0OPS> follows the workspace again for every setting\. Grouping in <#C0OPS> is now `group_by=\.\.\.` _\(workspace\)_/);
      assert.equal((await channel('C0OPS')).groupBy, null);

      const workspaceReset = await herald(world.emulator, 'grouping reset');
      assert.equal(workspaceReset.text, `:white_check_mark: The workspace uses Herald's default again for every setting. Grouping for this workspace is now ${DEFAULTS}.`);
      assert.deepEqual(await workspace(), { groupBy: null, groupWaitSeconds: null, groupIntervalSeconds: null, repeatIntervalSeconds: null });

      assert.deepEqual((await audit()).filter((entry) => entry.startsWith('grouping')), [
        'grouping.set workspace: group_by=... repeat_interval=1d',
        'grouping.set #ops (C0OPS): group_by=cluster group_wait=1m',
        'grouping.reset #ops (C0OPS): group_wait',
        'grouping.reset #ops (C0OPS)',
        'grouping.reset workspace',
      ]);
    });

    it('refuses bad settings, unknown keys and channels with the reason, and changes nothing', async () => {
      world.emulator.addChannel(TEAM, { id: 'C0OPS', name: 'ops' });
      for (const [text, answer] of [
        ['grouping group_time=1m', ':warning: unknown setting "group_time": the settings are group_by, group_wait, group_interval, repeat_interval.'],
        ['grouping repeat_interval=soon', ':warning: "soon" is not a duration for repeat_interval: use a number and a unit, such as 30s, 5m, 4h or 1h30m.'],
        ['grouping group_wait=2h', ':warning: group_wait=2h is too long: group_wait may be 0s to 1h.'],
        ['grouping group_interval=0s', ':warning: group_interval=0s is too short: group_interval may be 1s to 24h.'],
        ['grouping repeat_interval=30s', ':warning: repeat_interval=30s is too short: repeat_interval may be 1m to 30d.'],
        ['grouping repeat_interval=31d', ':warning: repeat_interval=31d is too long: repeat_interval may be 1m to 30d.'],
        ['grouping group_by=team-name', ':warning: "team-name" is not a label name: use letters, digits and underscores, not starting with a digit (or ... for every label).'],
        ['grouping group_by=...,cluster', ':warning: group_by=... already groups by every label: give it alone.'],
        ['grouping 4h', ':warning: "4h" is not a setting: write KEY=VALUE, where KEY is one of group_by, group_wait, group_interval, repeat_interval.'],
        ['grouping reset group_time', ':warning: "group_time" is not a setting to reset: the settings are group_by, group_wait, group_interval, repeat_interval, or none to reset them all.'],
        ['grouping <#C0OPS> repeat_interval=1h', '<#C0OPS> is not an alert channel; `/herald list` shows those that are.'],
        ['grouping <#C0OPS> reset', '<#C0OPS> is not an alert channel; `/herald list` shows those that are.'],
        ['grouping <#C0OPS>', '<#C0OPS> is not an alert channel; `/herald list` shows those that are.'],
      ]) {
        assert.equal((await herald(world.emulator, text ?? '')).text, answer, `/herald ${text}`);
      }
      assert.equal(
        (await herald(world.emulator, 'grouping repeat_interval=1h <#C0ALERTS>')).text,
        ':warning: the channel goes first, right after grouping.\nUsage: `/herald grouping [#channel] [KEY=VALUE…|reset [KEY…]]`, for example `/herald grouping group_by=alertname,cluster repeat_interval=4h`',
      );
      assert.match((await herald(world.emulator, 'grouping #nowhere repeat_interval=1h')).text, /^:warning: "#nowhere" is not a channel Slack knows/);

      assert.deepEqual(await workspace(), { groupBy: null, groupWaitSeconds: null, groupIntervalSeconds: null, repeatIntervalSeconds: null });
      assert.deepEqual(await channel('C0ALERTS'), { groupBy: null, groupWaitSeconds: null, groupIntervalSeconds: null, repeatIntervalSeconds: null });
      assert.equal(await world.db.auditEntry.count(), 0);
    });

    it('reads group_by with spaces after commas, and warns when repeats cannot come as often as asked', async () => {
      const spaced = await herald(world.emulator, 'grouping group_by=alertname, cluster, namespace group_interval=10m repeat_interval=5m');
      assert.equal(
        spaced.text,
        ':white_check_mark: Grouping for this workspace is now `group_by=alertname,cluster,namespace` · `group_wait=10s` _(default)_ · `group_interval=10m` · `repeat_interval=5m`.\n' +
          ':information_source: repeat_interval (5m) is shorter than group_interval (10m): Herald looks at a group once per group_interval, so repeats come at most once every 10m.',
      );
      assert.equal((await workspace()).groupBy, 'alertname,cluster,namespace');
    });

    it('lets anyone look, but only managers change it', async () => {
      world.emulator.addUser(TEAM, { id: 'U0MEMBER', name: 'mo' });
      await herald(world.emulator, 'grouping <#C0ALERTS> repeat_interval=1h');
      assert.match((await herald(world.emulator, 'grouping', { userId: 'U0MEMBER' })).text, /^\*Alert grouping for this workspace\*\n.*\n\*Channels with settings of their own\*\n• <#C0ALERTS> `repeat_interval=1h`/);
      assert.match((await herald(world.emulator, 'grouping <#C0ALERTS>', { userId: 'U0MEMBER' })).text, /^\*Alert grouping in <#C0ALERTS>\*/);
      for (const text of ['grouping repeat_interval=2h', 'grouping <#C0ALERTS> reset', 'grouping reset', 'grouping group_time=1m']) {
        assert.equal((await herald(world.emulator, text, { userId: 'U0MEMBER' })).text, REFUSED, `/herald ${text} is refused`);
      }
      assert.equal((await channel('C0ALERTS')).repeatIntervalSeconds, 3600);
      assert.deepEqual(await audit(), ['grouping.set #alerts (C0ALERTS): repeat_interval=1h']);
    });

    it('is in the help', async () => {
      const help = await herald(world.emulator, 'help');
      assert.ok(help.text.includes('`/herald grouping [#channel] [KEY=VALUE…|reset [KEY…]]` — show or change how alerts are grouped into messages'), help.text);
      assert.ok(help.text.includes('e.g. `/herald grouping group_by=alertname,cluster repeat_interval=4h`'));
    });
  });
}
