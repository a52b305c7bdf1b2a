// `/herald token create NAME --silence-writeback`: off unless asked for (it makes Herald call a URL
// the sender gave), said plainly when on, shown in `token list` and the audit log.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockKitProblems } from '../../src/render/index.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { TEAM, herald, heraldWorld, shown } from '../helpers/slash.js';

for (const kind of testDatabaseKinds()) {
  describe(`/herald token create --silence-writeback on ${kind.name}`, () => {
    const world = heraldWorld(kind);
    const tokenRow = (name: string) => world.db.ingestToken.findFirstOrThrow({ where: { installationId: TEAM, name } });

    it('turns silence write-back on for the token, says what that does, and lists and audits it', async () => {
      const created = await herald(world.emulator, 'token create alertmanager --silence-writeback');
      assert.equal(created.text, 'Ingest token alertmanager created. Copy it now: Herald will not show it again.');
      assert.deepEqual(blockKitProblems({ text: String(created.body.text), blocks: created.blocks }), []);
      const blocks = shown(JSON.stringify(created.blocks));
      assert.ok(blocks.includes('*Silence write-back:* on. The Silence button on alerts sent with this token also creates the silence in the Alertmanager that sent them, at the `externalURL` in their payload'), blocks);
      assert.ok(blocks.includes('use this only for Alertmanagers you trust'));

      const row = await tokenRow('alertmanager');
      assert.equal(row.silenceWriteBack, true);
      assert.match((await herald(world.emulator, 'token list')).text, /\*alertmanager\* · `hrld_.{4}…` · silences written back to the sending Alertmanager · created by <@U0ADMIN>/);
      const audit = await world.db.auditEntry.findFirstOrThrow({ where: { action: 'token.create' } });
      assert.equal(audit.detail, `alertmanager (${row.prefix}), silence write-back`);
    });

    it('combines with the other options, in any order', async () => {
      await herald(world.emulator, 'token create am-eu --silence-writeback --from 10.0.0.0/8 --signed');
      const row = await tokenRow('am-eu');
      assert.deepEqual([row.silenceWriteBack, row.allowedNetworks, row.signingSecret !== null], [true, '10.0.0.0/8', true]);
      assert.match((await herald(world.emulator, 'token list')).text, /\*am-eu\* · `hrld_.{4}…` · signed · from 10\.0\.0\.0\/8 · silences written back to the sending Alertmanager · /);
      assert.equal((await world.db.auditEntry.findFirstOrThrow({ where: { action: 'token.create' } })).detail, `am-eu (${row.prefix}), signed, from 10.0.0.0/8, silence write-back`);
    });

    it('is off unless asked for, and a misspelt flag is refused with the options', async () => {
      const created = await herald(world.emulator, 'token create grafana');
      assert.ok(!shown(JSON.stringify(created.blocks)).includes('write-back'));
      assert.equal((await tokenRow('grafana')).silenceWriteBack, false);
      assert.doesNotMatch((await herald(world.emulator, 'token list')).text, /written back/);

      const misspelt = await herald(world.emulator, 'token create am --silence-write-back');
      assert.match(misspelt.text, /^:warning: unknown option --silence-write-back: the options are --signed, --silence-writeback, --from\.\nUsage: `\/herald token create NAME \[--signed\] \[--from CIDR,…\] \[--silence-writeback\]`/);
      assert.equal(await world.db.ingestToken.count({ where: { name: 'am' } }), 0);
    });
  });
}
