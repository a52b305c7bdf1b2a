// /herald token create, list and revoke: shown once, stored hashed, secrets encrypted.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { blockKitProblems } from '../../src/render/index.js';
import { SecretBox } from '../../src/security/secretBox.js';
import { rawDatabaseText, testDatabaseKinds } from '../helpers/databases.js';
import { ENCRYPTION_KEY } from '../helpers/herald.js';
import { TEAM, herald, heraldWorld, shown, waitFor } from '../helpers/slash.js';

const secretIn = (blocks: unknown, prefix: 'hrld_' | 'hrlds_'): string => {
  const match = new RegExp(`${prefix}[A-Za-z0-9_-]{43}`).exec(JSON.stringify(blocks));
  assert.ok(match, `a ${prefix} secret is shown`);
  return match[0];
};

for (const kind of testDatabaseKinds()) {
  describe(`/herald token on ${kind.name}`, () => {
    const world = heraldWorld(kind);
    const tokenRow = (name: string) => world.db.ingestToken.findFirst({ where: { installationId: TEAM, name }, orderBy: { createdAt: 'desc' } });

    it('creates a token, shows it once with the snippets, and stores only its hash', async () => {
      const created = await herald(world.emulator, 'token create prometheus');
      assert.equal(created.text, 'Ingest token prometheus created. Copy it now: Herald will not show it again.');
      assert.deepEqual(blockKitProblems({ text: String(created.body.text), blocks: created.blocks }), []);
      const token = secretIn(created.blocks, 'hrld_');
      const shownText = shown(JSON.stringify(created.blocks));
      const url = world.herald.url;
      for (const part of [
        'webhook_configs:',
        `- url: '${url}/alerts/alertmanager'`,
        'send_resolved: true',
        'authorization:',
        'type: Bearer',
        `credentials: '${token}'`,
        `URL:         ${url}/alerts/grafana`,
        `Authorization Header - Credentials: ${token}`,
        `URL:          ${url}/alerts/generic`,
        'Weights & Biases',
        `-H 'Authorization: Bearer ${token}'`,
      ]) {
        assert.ok(shownText.includes(part), `the snippets hold ${part}`);
      }

      const row = await tokenRow('prometheus');
      assert.equal(row?.tokenHash, createHash('sha256').update(token).digest('hex'));
      assert.equal(row?.prefix, `${token.slice(0, 9)}…`);
      assert.equal(row?.createdBy, 'U0ADMIN');
      assert.equal(row?.signingSecret, null);
      assert.equal(row?.allowedNetworks, '');
      assert.ok(!(await rawDatabaseText(world.database.url)).includes(token), 'the token is nowhere in the database');

      const list = await herald(world.emulator, 'token list');
      assert.match(list.text, new RegExp(`^\\*Ingest tokens\\*\\n• \\*prometheus\\* · \`${token.slice(0, 9)}…\` · created by <@U0ADMIN> <!date\\^\\d+\\^[^>]+> · never used$`));
      assert.ok(!list.text.includes(token));
      assert.equal(
        (await herald(world.emulator, 'token create prometheus')).text,
        ':warning: A token named prometheus already exists: pick another name, or `/herald token revoke prometheus` first.',
      );
    });

    it('creates a signed token limited to networks, its signing secret encrypted', async () => {
      const created = await herald(world.emulator, 'token create ci --signed --from 10.0.0.0/8,2001:db8::/32,192.0.2.7');
      assert.deepEqual(blockKitProblems({ text: String(created.body.text), blocks: created.blocks }), []);
      const token = secretIn(created.blocks, 'hrld_');
      const secret = secretIn(created.blocks, 'hrlds_');
      const shownText = shown(JSON.stringify(created.blocks));
      assert.ok(shownText.includes('*Accepted only from:* 10.0.0.0/8, 2001:db8::/32, 192.0.2.7/32'));
      assert.ok(shownText.includes(`openssl dgst -sha256 -hmac '${secret}'`));
      assert.ok(shownText.includes('X-Herald-Signature: sha256=$sig'));

      const row = await tokenRow('ci');
      assert.equal(row?.allowedNetworks, '10.0.0.0/8,2001:db8::/32,192.0.2.7/32');
      assert.equal(new SecretBox(Buffer.from(ENCRYPTION_KEY, 'base64')).open(row?.signingSecret ?? ''), secret);
      const stored = await rawDatabaseText(world.database.url);
      assert.ok(!stored.includes(token) && !stored.includes(secret), 'neither secret is in the database as such');
      assert.match((await herald(world.emulator, 'token list')).text, /\*ci\* · `hrld_.{4}…` · signed · from 10\.0\.0\.0\/8, 2001:db8::\/32, 192\.0\.2\.7\/32/);
      assert.equal((await world.db.auditEntry.findFirst({ where: { action: 'token.create' } }))?.detail, `ci (${token.slice(0, 9)}…), signed, from 10.0.0.0/8,2001:db8::/32,192.0.2.7/32`);
    });

    it('refuses bad names, networks and options with the reason', async () => {
      for (const [text, answer] of [
        ['token create ci --from 10.0.0.0/33', ':warning: "10.0.0.0/33" has an invalid prefix length: use 0 to 32 for IPv4.'],
        ['token create ci --from 2001:db8::/129', ':warning: "2001:db8::/129" has an invalid prefix length: use 0 to 128 for IPv6.'],
        ['token create ci --from office', ':warning: "office" is not a network: use CIDR notation, such as 10.0.0.0/8 or 2001:db8::/32.'],
        ['token create bad/name', ':warning: "bad/name" is not a token name: use up to 40 letters, digits, dots, dashes or underscores, such as prometheus.'],
      ]) {
        assert.equal((await herald(world.emulator, text ?? '')).text, answer);
      }
      assert.match((await herald(world.emulator, 'token create ci --from')).text, /^:warning: --from needs a value\.\nUsage: `\/herald token create NAME \[--signed\] \[--from CIDR,…\] \[--silence-writeback\]`/);
      assert.match((await herald(world.emulator, 'token create ci --sign')).text, /^:warning: unknown option --sign: the options are --signed, --silence-writeback, --from\./);
      assert.match((await herald(world.emulator, 'token create')).text, /^:warning: token create needs a name/);
      assert.equal(await world.db.ingestToken.count(), 0);
    });

    it('revokes a token, and lets a new one take its name', async () => {
      const first = secretIn((await herald(world.emulator, 'token create grafana')).blocks, 'hrld_');
      assert.equal((await herald(world.emulator, 'token revoke grafana')).text, ':white_check_mark: Revoked grafana: alerts sent with it are refused within seconds.');
      assert.ok((await tokenRow('grafana'))?.revokedAt);
      assert.equal((await herald(world.emulator, 'token list')).text, 'No ingest tokens yet. `/herald token create NAME` makes one.');
      assert.equal((await herald(world.emulator, 'token revoke grafana')).text, 'There is no token named grafana in use; `/herald token list` shows them.');

      const second = secretIn((await herald(world.emulator, 'token create grafana')).blocks, 'hrld_');
      assert.notEqual(second, first);
      const rows = await world.db.ingestToken.findMany({ where: { name: 'grafana' } });
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.revokedAt, null);
      assert.equal(rows[0]?.tokenHash, createHash('sha256').update(second).digest('hex'));
      const actions = (await world.db.auditEntry.findMany({ orderBy: { createdAt: 'asc' } })).map((entry) => entry.action);
      assert.deepEqual(actions, ['token.create', 'token.revoke', 'token.create']);
    });

    it('makes tokens that authenticate alerts until revoked', async () => {
      const token = secretIn((await herald(world.emulator, 'token create curl')).blocks, 'hrld_');
      const send = () =>
        fetch(`${world.herald.url}/alerts/generic`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title: 'Disk almost full on db-1', severity: 'warning' }),
        });
      assert.equal((await send()).status, 202);
      await herald(world.emulator, 'token revoke curl');
      // Ingest caches tokens for a couple of seconds; the revocation holds once that has passed.
      await waitFor(async () => (await send()).status === 401, 'the revoked token to be refused', 5_000);
    });
  });
}
