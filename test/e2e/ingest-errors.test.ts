// Every way an ingest request is refused, each with its status and a message that says what to fix;
// and a database failure, which must answer 503 (so the sender retries), never 202.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { before, describe, it } from 'node:test';
import { ALERT_FORMATS } from '../../src/alerts/alert.js';
import { MAX_BODY_BYTES } from '../../src/ingest/http/readBody.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { answer, createToken, eventually, fixtureText, ingestHerald, postAlerts } from '../helpers/ingest.js';

const BAD_TOKEN_MESSAGE = 'the ingest token is not valid: it is unknown or was revoked; create one with /herald token create';

/** Streams a chunked body (no Content-Length) of `size` bytes and returns the answer Herald gave. */
function postChunked(url: string, token: string, size: number): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    // Herald stops reading and closes the connection after answering; writing into it then fails.
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

for (const kind of testDatabaseKinds()) {
  describe(`refused ingest requests on ${kind.name}`, () => {
    const t = ingestHerald(kind);
    let token: string;
    const db = () => t.herald.herald.database.prisma;
    const firing = fixtureText('alertmanager/firing');
    const post = (body: string, p: Parameters<typeof postAlerts>[3] = {}, format = 'alertmanager') => postAlerts(t.herald.url, format, body, { token, ...p });

    before(async () => {
      token = (await createToken(db())).token;
    });

    it('400 for invalid JSON, naming where it breaks', async () => {
      const { status, body } = await answer(await post('{"alerts": [}'));
      assert.equal(status, 400);
      assert.equal(body.error, 'the body is not valid JSON: unexpected "}" at line 1, column 13 (position 12)');
      const empty = await answer(await post(''));
      assert.equal(empty.body.error, 'the body is not valid JSON: unexpected the end of the body at line 1, column 1 (position 0)');
      // `firing` is not a string: the scanner stops at the first letter that cannot be `false`.
      const multiline = await answer(await post('{\n  "alerts": [\n    {"status": firing}\n  ]\n}'));
      assert.match(String(multiline.body.error), /unexpected "i" at line 3, column 17 \(position 32\)$/);
    });

    it('400 for JSON nested deeper than any payload needs (it would overflow the stack later)', async () => {
      const prefix = '{"text":"x","attachments":[';
      const deep = `${prefix}${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}]}`;
      const { status, body } = await answer(await post(deep, {}, 'slack'));
      assert.equal(status, 400);
      const position = prefix.length + 62 * '{"a":'.length; // where the 65th level opens
      assert.equal(body.error, `the body nests objects or arrays more than 64 levels deep (at position ${position}); no alert payload needs that`);
    });

    it('400 for a body that is not a valid payload, with the path and problem of each mistake', async () => {
      const { status, body } = await answer(await post(JSON.stringify({ alerts: [{ status: 'pending', labels: { team: 7 } }] })));
      assert.equal(status, 400);
      assert.equal(body.error, 'the body is not a valid alertmanager payload');
      assert.deepEqual(body.problems, [
        { path: 'alerts[0].status', message: 'must be "firing" or "resolved"' },
        { path: 'alerts[0].labels.team', message: 'expected a string' },
      ]);
      const generic = await answer(await post('[]', {}, 'generic'));
      assert.equal(generic.status, 400);
      assert.deepEqual(generic.body.problems, [{ path: '(body)', message: 'expected an object' }]);
    });

    it('401 without a token, in either place', async () => {
      const { status, body } = await answer(await postAlerts(t.herald.url, 'alertmanager', firing));
      assert.equal(status, 401);
      assert.equal(body.error, 'missing ingest token: send "Authorization: Bearer hrld_…", or POST to /alerts/{format}/{token}');
      const basic = await answer(await postAlerts(t.herald.url, 'alertmanager', firing, { headers: { authorization: 'Basic dXNlcjpwYXNz' } }));
      assert.equal(basic.status, 401);
      assert.equal(basic.body.error, 'the Authorization header must be "Bearer hrld_…"');
    });

    it('401 with the same message for an unknown token, a revoked one, and one of an uninstalled workspace', async () => {
      for (const via of ['header', 'path'] as const) {
        const unknown = await answer(await post(firing, { token: 'hrld_thisTokenWasNeverIssued', via }));
        assert.deepEqual(unknown, { status: 401, body: { error: BAD_TOKEN_MESSAGE } });
        const notEvenAToken = await answer(await post(firing, { token: 'password', via }));
        assert.deepEqual(notEvenAToken, { status: 401, body: { error: BAD_TOKEN_MESSAGE } });
      }
      const revoked = await createToken(db());
      await db().ingestToken.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
      assert.deepEqual(await answer(await post(firing, { token: revoked.token })), { status: 401, body: { error: BAD_TOKEN_MESSAGE } });
    });

    it('401 when the token in the URL and the header differ', async () => {
      const response = await postAlerts(t.herald.url, 'alertmanager', firing, { token, via: 'path', headers: { authorization: 'Bearer hrld_another' } });
      assert.deepEqual(await answer(response), { status: 401, body: { error: 'the token in the URL and the one in the Authorization header differ: send one' } });
    });

    it('404 for an unknown format, listing the formats', async () => {
      const { status, body } = await answer(await post(firing, {}, 'prometheus'));
      assert.equal(status, 404);
      assert.equal(body.error, 'unknown format "prometheus": use one of alertmanager, grafana, slack, generic');
      assert.deepEqual(body.formats, [...ALERT_FORMATS]);
      for (const path of ['/alerts', '/alerts/', `/alerts/alertmanager/${token}/extra`]) {
        const other = await answer(await fetch(`${t.herald.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: firing }));
        assert.equal(other.status, 404, path);
        assert.match(String(other.body.error), /^no such endpoint: POST \/alerts\/\{format\} or \/alerts\/\{format\}\/\{token\}/);
      }
    });

    it('405 with Allow: POST for other methods', async () => {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const response = await fetch(`${t.herald.url}/alerts/alertmanager`, { method });
        assert.equal(response.status, 405);
        assert.equal(response.headers.get('allow'), 'POST');
        assert.equal((await response.json()).error, `${method} is not allowed here: send alerts with POST`);
      }
    });

    it('413 for a body over 1 MiB, declared or streamed, without reading it all', async () => {
      const declared = await answer(await post(' '.repeat(MAX_BODY_BYTES + 1)));
      assert.equal(declared.status, 413);
      assert.equal(declared.body.error, `the body is larger than ${MAX_BODY_BYTES} bytes (1 MiB); send fewer alerts per request`);
      const streamed = await postChunked(`${t.herald.url}/alerts/alertmanager`, token, 64 * MAX_BODY_BYTES);
      assert.equal(streamed.status, 413);
      assert.equal(streamed.body.error, declared.body.error);
      // Exactly the limit is fine (as far as size goes: spaces are not JSON).
      assert.equal((await post(' '.repeat(MAX_BODY_BYTES))).status, 400);
    });

    it('415 for a body that is not sent as JSON', async () => {
      const text = await answer(await post(firing, { headers: { 'content-type': 'text/plain' } }));
      assert.deepEqual(text, { status: 415, body: { error: 'Content-Type "text/plain" is not JSON: send application/json' } });
      const form = await answer(await post(firing, { headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
      assert.equal(form.status, 415);
      const missing = await answer(await fetch(`${t.herald.url}/alerts/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: new Uint8Array(Buffer.from(firing)) }));
      assert.deepEqual(missing, { status: 415, body: { error: 'missing Content-Type: send the body as JSON with Content-Type: application/json' } });
      for (const contentType of ['application/json; charset=utf-8', 'Application/JSON', 'application/vnd.herald+json']) {
        const body = JSON.stringify({ title: `content type ${contentType}` });
        assert.equal((await post(body, { headers: { 'content-type': contentType } }, 'generic')).status, 202, contentType);
      }
    });

    it('503 when the database cannot store the alerts, and 202 once it can again', async () => {
      const body = JSON.stringify({ title: 'stored after an outage' });
      assert.equal((await post(body, {}, 'generic')).status, 202); // the token is now cached
      // Take the table away: every insert fails, as in an outage.
      await db().$executeRawUnsafe('ALTER TABLE "IncomingAlert" RENAME TO "IncomingAlertAway"');
      try {
        const { status, body: reply } = await answer(await post(body, {}, 'generic'));
        assert.equal(status, 503);
        assert.equal(reply.error, 'Herald could not store the alerts right now (database unavailable); nothing was accepted, retry later');
      } finally {
        await db().$executeRawUnsafe('ALTER TABLE "IncomingAlertAway" RENAME TO "IncomingAlert"');
      }
      await eventually(async () => (await post(body, {}, 'generic')).status === 202, 'Herald to accept again');
    });
  });

  describe(`the rate limit per token on ${kind.name}`, () => {
    const t = ingestHerald(kind, { INGEST_RATE_LIMIT: '0.5', INGEST_RATE_BURST: '3' });

    it('429 with Retry-After once a token spends its burst; other tokens are unaffected', async () => {
      const db = t.herald.herald.database.prisma;
      const [busy, other] = [await createToken(db), await createToken(db)];
      const send = (token: string) => postAlerts(t.herald.url, 'generic', JSON.stringify({ title: 'rate' }), { token });
      for (let i = 0; i < 3; i++) assert.equal((await send(busy.token)).status, 202);
      const limited = await send(busy.token);
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '2');
      assert.deepEqual(await limited.json(), { error: 'too many requests with this token: retry after 2 s', retryAfterSeconds: 2 });
      assert.equal((await send(other.token)).status, 202);
    });
  });
}
