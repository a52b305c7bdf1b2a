// Who may send alerts: signed tokens (HMAC over timestamp and body), tokens restricted to networks
// (with and without a trusted proxy), revoked tokens and uninstalled workspaces; and the last-used
// time each token records.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDatabase } from '../../src/db/database.js';
import { TOKEN_CACHE_TTL_MS } from '../../src/ingest/auth/tokenDirectory.js';
import { signBody } from '../../src/ingest/auth/signature.js';
import { silentLogger } from '../../src/log.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { heraldPerTest, startEmulator, startTestHerald } from '../helpers/herald.js';
import { installWorkspace } from '../helpers/install.js';
import { answer, createToken, eventually, ingestHerald, postAlerts, WORKSPACE } from '../helpers/ingest.js';

const SECRET = 'hrlds_test-signing-secret';
const BAD_TOKEN = { error: 'the ingest token is not valid: it is unknown or was revoked; create one with /herald token create' };
const alert = (title: string) => JSON.stringify({ title });
const nowSeconds = () => String(Math.floor(Date.now() / 1000));

for (const kind of testDatabaseKinds()) {
  describe(`signed tokens on ${kind.name}`, () => {
    const t = ingestHerald(kind);
    const send = async (body: string, headers: Record<string, string>) => {
      const { token } = await createToken(t.herald.herald.database.prisma, { signingSecret: SECRET });
      return answer(await postAlerts(t.herald.url, 'generic', body, { token, headers }));
    };

    it('accepts a request signed over timestamp + "." + body', async () => {
      const body = alert('signed');
      const timestamp = nowSeconds();
      assert.equal((await send(body, { 'x-herald-timestamp': timestamp, 'x-herald-signature': signBody(SECRET, timestamp, body) })).status, 202);
    });

    it('401 for a missing, wrong, malformed or stale signature', async () => {
      const body = alert('signed');
      const timestamp = nowSeconds();
      const cases: [Record<string, string>, string][] = [
        [{}, 'this token requires signed requests: send X-Herald-Timestamp (Unix seconds) and X-Herald-Signature: sha256=<hex HMAC-SHA256 of timestamp + "." + body>'],
        [{ 'x-herald-timestamp': timestamp, 'x-herald-signature': signBody('another-secret', timestamp, body) }, 'X-Herald-Signature does not match the body and timestamp'],
        [{ 'x-herald-timestamp': timestamp, 'x-herald-signature': signBody(SECRET, timestamp, alert('other')) }, 'X-Herald-Signature does not match the body and timestamp'],
        [{ 'x-herald-timestamp': timestamp, 'x-herald-signature': 'sha256=abc' }, 'X-Herald-Signature must be sha256= followed by 64 hex digits'],
        [{ 'x-herald-timestamp': 'yesterday', 'x-herald-signature': signBody(SECRET, 'yesterday', body) }, 'X-Herald-Timestamp must be a Unix time in seconds'],
      ];
      const stale = String(Math.floor(Date.now() / 1000) - 5 * 60 - 5);
      cases.push([{ 'x-herald-timestamp': stale, 'x-herald-signature': signBody(SECRET, stale, body) }, "X-Herald-Timestamp is more than 5 minutes away from Herald's clock: sign each request when sending it"]);
      for (const [headers, error] of cases) assert.deepEqual(await send(body, headers), { status: 401, body: { error } });
    });
  });

  describe(`tokens restricted to networks on ${kind.name}`, () => {
    const t = ingestHerald(kind);
    const send = async (allowedNetworks: string, headers: Record<string, string> = {}) => {
      const { token } = await createToken(t.herald.herald.database.prisma, { allowedNetworks });
      return answer(await postAlerts(t.herald.url, 'generic', alert('restricted'), { token, headers }));
    };

    it('accepts requests from an allowed network, IPv4 or IPv6', async () => {
      // The test connects from 127.0.0.1 (seen as ::ffff:127.0.0.1 on a dual-stack socket).
      for (const networks of ['127.0.0.0/8', '10.0.0.0/8,127.0.0.1', '2001:db8::/32, 127.0.0.1/32', '0.0.0.0/0']) {
        assert.equal((await send(networks)).status, 202, networks);
      }
    });

    it('403 from any other address, and X-Forwarded-For is ignored without TRUST_PROXY', async () => {
      const refused = await send('10.0.0.0/8,2001:db8::/32', { 'x-forwarded-for': '10.1.2.3' });
      assert.equal(refused.status, 403);
      assert.match(String(refused.body.error), /^requests from (::ffff:)?127\.0\.0\.1 may not use this token: it is restricted to other networks$/);
    });

    it('403 for every address when a stored network is malformed (a damaged list must not open the token)', async () => {
      assert.equal((await send('127.0.0.0/8,not-a-network')).status, 403);
    });
  });

  describe(`networks behind a trusted proxy on ${kind.name}`, () => {
    const t = ingestHerald(kind, { TRUST_PROXY: 'loopback' });

    it('takes the client address from X-Forwarded-For when the proxy is trusted', async () => {
      const { token } = await createToken(t.herald.herald.database.prisma, { allowedNetworks: '10.0.0.0/8' });
      const send = (forwardedFor: string) => postAlerts(t.herald.url, 'generic', alert('proxied'), { token, headers: { 'x-forwarded-for': forwardedFor } });
      assert.equal((await send('10.1.2.3')).status, 202);
      const outside = await answer(await send('192.0.2.7'));
      assert.deepEqual(outside, { status: 403, body: { error: 'requests from 192.0.2.7 may not use this token: it is restricted to other networks' } });
      // Only trusted hops are skipped: a client cannot pose as 10.x by adding its own header entry.
      assert.equal((await send('10.1.2.3, 192.0.2.7')).status, 403);
    });
  });

  describe(`revocation and uninstalling on ${kind.name}`, () => {
    const t = heraldPerTest(kind, { install: true });

    it('stops a revoked token within seconds, even while it is cached', async () => {
      const db = t.herald.herald.database.prisma;
      const { token, id } = await createToken(db);
      const send = () => postAlerts(t.herald.url, 'generic', alert('revoked?'), { token });
      assert.equal((await send()).status, 202);
      const revokedAt = Date.now();
      await db.ingestToken.update({ where: { id }, data: { revokedAt: new Date() } });
      await eventually(async () => (await send()).status === 401, 'the revoked token to be refused', TOKEN_CACHE_TTL_MS + 2_000);
      assert.ok(Date.now() - revokedAt <= TOKEN_CACHE_TTL_MS + 1_000);
      assert.deepEqual(await answer(await send()), { status: 401, body: BAD_TOKEN });
    });

    it("refuses the tokens of a workspace that uninstalled Herald", async () => {
      const { token } = await createToken(t.herald.herald.database.prisma);
      const send = () => postAlerts(t.herald.url, 'generic', alert('uninstalled?'), { token });
      assert.equal((await send()).status, 202);
      await t.emulator.uninstall(WORKSPACE);
      await eventually(async () => (await send()).status === 401, 'the token of the uninstalled workspace to be refused', TOKEN_CACHE_TTL_MS + 2_000);
      assert.deepEqual(await answer(await send()), { status: 401, body: BAD_TOKEN });
    });
  });

  describe(`last-used times on ${kind.name}`, () => {
    it('records when each token was last used, in batches, and writes them when Herald stops', async () => {
      // Its own Herald, since the test stops it.
      const emulator = await startEmulator();
      const database = await kind.create();
      try {
        const { herald, url } = await startTestHerald({ databaseUrl: database.url, emulator });
        await installWorkspace(url, emulator);
        const db = herald.database.prisma;
        const [used, unused] = [await createToken(db), await createToken(db)];
        const before = Date.now();
        for (let i = 0; i < 5; i++) assert.equal((await postAlerts(url, 'generic', alert(`use ${i}`), { token: used.token })).status, 202);
        const after = Date.now();
        // Not one write per request: nothing is written until the next flush.
        assert.equal((await db.ingestToken.findUniqueOrThrow({ where: { id: used.id } })).lastUsedAt, null);
        await herald.close();
        const reopened = await openDatabase(database.url, silentLogger());
        try {
          const lastUsedAt = (await reopened.prisma.ingestToken.findUniqueOrThrow({ where: { id: used.id } })).lastUsedAt?.getTime() ?? 0;
          assert.ok(lastUsedAt >= before && lastUsedAt <= after, 'the time of the last request');
          assert.equal((await reopened.prisma.ingestToken.findUniqueOrThrow({ where: { id: unused.id } })).lastUsedAt, null);
        } finally {
          await reopened.close();
        }
      } finally {
        await emulator.close();
        await database.drop();
      }
    });
  });
}
