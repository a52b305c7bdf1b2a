// /herald silence MATCHERS DURATION [comment], silence list, silence expire.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silenceCovers } from '../../src/alerts/silences.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { TEAM, herald, heraldWorld } from '../helpers/slash.js';

for (const kind of testDatabaseKinds()) {
  describe(`/herald silence on ${kind.name}`, () => {
    const world = heraldWorld(kind);

    it('creates, lists and expires silences', async () => {
      const before = Date.now();
      const created = await herald(world.emulator, 'silence {alertname=DiskFull, env=~"prod.*"} 2h "disks being replaced"');
      const row = await world.db.silence.findFirstOrThrow({ where: { installationId: TEAM } });
      const id = row.id.slice(0, 8);
      assert.equal(row.matchers, '{alertname=DiskFull, env=~"prod.*"}');
      assert.equal(row.comment, 'disks being replaced');
      assert.equal(row.createdBy, 'U0ADMIN');
      const length = row.endsAt.getTime() - row.startsAt.getTime();
      assert.equal(length, 2 * 3_600_000);
      assert.ok(row.startsAt.getTime() >= before - 1000);
      assert.match(created.text, new RegExp(`^:zipper_mouth_face: Silenced alerts matching \`\\{alertname=DiskFull, env=~"prod\\.\\*"\\}\` for 2h, until <!date[^>]+> \\(id \`${id}\`\\)\\. \`/herald silence expire ${id}\` ends it sooner\\.$`));
      const now = new Date();
      assert.equal(silenceCovers(row, { labels: { alertname: 'DiskFull', env: 'production' } }, now), true, 'the stored silence matches as typed');
      assert.equal(silenceCovers(row, { labels: { alertname: 'DiskFull', env: 'staging' } }, now), false);

      await herald(world.emulator, 'silence team=“db” 30m'); // curly quotes, as phones type them
      assert.equal((await world.db.silence.findFirstOrThrow({ where: { comment: '' } })).matchers, 'team="db"');
      const list = await herald(world.emulator, 'silence list');
      const lines = list.text.split('\n');
      assert.equal(lines[0], '*Active silences*');
      assert.match(lines[1] ?? '', /^• `[0-9a-f]{8}` `team="db"` until <!date[^>]+> · by <@U0ADMIN>$/, 'ending soonest first');
      assert.match(lines[2] ?? '', new RegExp(`^• \`${id}\` \`\\{alertname=DiskFull, env=~"prod\\.\\*"\\}\` until <!date[^>]+> · by <@U0ADMIN> · “disks being replaced”$`));

      assert.equal((await herald(world.emulator, `silence expire ${id}`)).text, `:white_check_mark: Expired silence \`${id}\` (\`{alertname=DiskFull, env=~"prod.*"}\`): matching alerts are delivered again.`);
      const expired = await world.db.silence.findUniqueOrThrow({ where: { id: row.id } });
      assert.ok(expired.endsAt.getTime() <= Date.now());
      assert.equal((await herald(world.emulator, `silence expire ${id}`)).text, `No active silence has the id \`${id}\`; \`/herald silence list\` shows them.`);
      assert.equal((await herald(world.emulator, 'silence list')).text.split('\n').length, 2);
      const actions = (await world.db.auditEntry.findMany({ orderBy: { createdAt: 'asc' } })).map((entry) => entry.action);
      assert.deepEqual(actions, ['silence.create', 'silence.create', 'silence.expire']);
    });

    it('refuses bad matchers and durations with the reason', async () => {
      for (const [text, answer] of [
        ['silence env=~"prod(" 1h', ':warning: Invalid matchers: the regex in "env=~"prod("" is invalid: Unterminated group.'],
        ['silence env=~.* 1h', ':warning: Invalid matchers: these matchers would silence every alert: add one that needs a label, such as alertname=DiskFull.'],
        ['silence =prod 1h', ':warning: Invalid matchers: "=prod" has an empty label name: write the label before =.'],
      ]) {
        assert.equal((await herald(world.emulator, text ?? '')).text, answer);
      }
      assert.match((await herald(world.emulator, 'silence alertname=DiskFull forever')).text, /^:warning: silence needs a duration after the matchers, such as 30m, 2h or 1d\.\nUsage: `\/herald silence MATCHERS DURATION \[comment\]`/);
      assert.match((await herald(world.emulator, 'silence')).text, /^:warning: silence needs matchers and a duration\./);
      assert.match((await herald(world.emulator, 'silence expire')).text, /^:warning: silence expire needs the id/);
      assert.equal((await herald(world.emulator, 'silence expire a')).text, 'No active silence has the id `a`; `/herald silence list` shows them.');
      assert.equal(await world.db.silence.count(), 0);
    });
  });
}
