// Who may change Herald's configuration: admins and owners (users.info), the installer, managers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testDatabaseKinds } from '../helpers/databases.js';
import { TEAM, herald, heraldWorld } from '../helpers/slash.js';

const REFUSED =
  ":no_entry: Only workspace admins and owners, the person who installed Herald, and Herald's managers can change its configuration. An admin can make you a manager with `/herald managers add @you`.";
const ADMINS_ONLY = ':no_entry: Only workspace admins and owners, and the person who installed Herald, can change who manages Herald.';

for (const kind of testDatabaseKinds()) {
  describe(`/herald permissions on ${kind.name}`, () => {
    // Installed by an ordinary member, so ada (U0ADMIN) is an admin only because users.info says so.
    const world = heraldWorld(kind, { installer: 'U0INSTALL' });
    const addPeople = () => {
      world.emulator.addUser(TEAM, { id: 'U0MEMBER', name: 'mo' });
      world.emulator.addUser(TEAM, { id: 'U0MGR', name: 'meg' });
      world.emulator.addUser(TEAM, { id: 'U0OWNER', name: 'otto', isOwner: true });
      world.emulator.addChannel(TEAM, { id: 'C0OPS', name: 'ops' });
    };
    const usersInfoFor = (userId: string) => world.emulator.callsTo('users.info').filter((call) => call.args.user === userId).length;

    it('lets members look but not change anything', async () => {
      addPeople();
      for (const text of ['add <#C0OPS>', 'remove <#C0ALERTS>', 'test', 'mute <#C0ALERTS> 1h', 'unmute <#C0ALERTS>', 'token create ci', 'token list', 'token revoke ci', 'silence alertname=X 1h', 'silence expire abcd', 'audit', 'managers list']) {
        assert.equal((await herald(world.emulator, text, { userId: 'U0MEMBER' })).text, REFUSED, `/herald ${text} is refused`);
      }
      for (const text of ['managers add <@U0MEMBER>', 'managers remove <@U0MGR>']) {
        assert.equal((await herald(world.emulator, text, { userId: 'U0MEMBER' })).text, ADMINS_ONLY);
      }
      assert.match((await herald(world.emulator, 'help', { userId: 'U0MEMBER' })).text, /Commands:/);
      assert.match((await herald(world.emulator, 'list', { userId: 'U0MEMBER' })).text, /<#C0ALERTS>/);
      assert.equal((await herald(world.emulator, 'silence list', { userId: 'U0MEMBER' })).text, 'No active silences.');

      assert.equal(await world.db.channel.count(), 1);
      assert.equal(await world.db.ingestToken.count(), 0);
      assert.equal(await world.db.silence.count(), 0);
      assert.equal(await world.db.auditEntry.count(), 0);
      assert.equal(usersInfoFor('U0MEMBER'), 1, 'users.info was asked once, then cached');
    });

    it('recognises admins and owners through users.info, and the installer without it', async () => {
      addPeople();
      assert.match((await herald(world.emulator, 'add <#C0OPS>', { userId: 'U0ADMIN' })).text, /Alerts now go to <#C0OPS>/);
      assert.equal(usersInfoFor('U0ADMIN'), 1);
      assert.match((await herald(world.emulator, 'mute <#C0OPS> 1h', { userId: 'U0ADMIN' })).text, /Muted/);
      assert.equal(usersInfoFor('U0ADMIN'), 1, 'cached for the next command');

      assert.match((await herald(world.emulator, 'unmute <#C0OPS>', { userId: 'U0OWNER' })).text, /no longer muted/);
      assert.equal(usersInfoFor('U0OWNER'), 1);

      assert.match((await herald(world.emulator, 'managers add <@U0MGR|meg>', { userId: 'U0INSTALL' })).text, /<@U0MGR> is now a Herald manager/);
      const actors = (await world.db.auditEntry.findMany({ orderBy: { createdAt: 'asc' } })).map((entry) => `${entry.actorId} ${entry.action}`);
      assert.deepEqual(actors, ['U0ADMIN channel.add', 'U0ADMIN channel.mute', 'U0OWNER channel.unmute', 'U0INSTALL manager.add']);
    });

    it('lets managers change the configuration but not the managers, until removed', async () => {
      addPeople();
      assert.equal((await herald(world.emulator, 'add <#C0OPS>', { userId: 'U0MGR' })).text, REFUSED);
      assert.equal((await herald(world.emulator, 'managers add <@U0MGR>', { userId: 'U0ADMIN' })).text, ':white_check_mark: <@U0MGR> is now a Herald manager.');
      assert.equal((await herald(world.emulator, 'managers add <@U0MGR>', { userId: 'U0ADMIN' })).text, '<@U0MGR> already is a Herald manager.');
      const row = await world.db.manager.findUnique({ where: { installationId_userId: { installationId: TEAM, userId: 'U0MGR' } } });
      assert.equal(row?.addedBy, 'U0ADMIN');

      assert.match((await herald(world.emulator, 'add <#C0OPS>', { userId: 'U0MGR' })).text, /Alerts now go to <#C0OPS>/);
      assert.match((await herald(world.emulator, 'audit', { userId: 'U0MGR' })).text, /<@U0ADMIN> `manager.add` <@U0MGR>/);
      assert.match((await herald(world.emulator, 'managers list', { userId: 'U0MGR' })).text, /^Managers: <@U0MGR>\./);
      assert.equal((await herald(world.emulator, 'managers add <@U0MEMBER>', { userId: 'U0MGR' })).text, ADMINS_ONLY);

      assert.equal((await herald(world.emulator, 'managers remove <@U0MGR>', { userId: 'U0OWNER' })).text, ':white_check_mark: <@U0MGR> is no longer a Herald manager.');
      assert.equal(await world.db.manager.count(), 0);
      assert.equal((await herald(world.emulator, 'remove <#C0OPS>', { userId: 'U0MGR' })).text, REFUSED, 'removal takes effect at once');
    });

    it('adds only people Slack knows as managers', async () => {
      assert.equal((await herald(world.emulator, 'managers add <@U0NOBODY>')).text, 'Slack does not know that person in this workspace.');
      const bot = world.emulator.botUserId(TEAM) ?? '';
      assert.equal((await herald(world.emulator, `managers add <@${bot}>`)).text, `<@${bot}> is a bot; managers are people.`);
      assert.match((await herald(world.emulator, 'managers add meg')).text, /^:warning: "meg" is not a person Slack knows/);
      assert.equal(await world.db.manager.count(), 0);
    });
  });
}
