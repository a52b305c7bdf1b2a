// The Alertmanager silence write-back against a real HTTP server on 127.0.0.1 standing in for
// Alertmanager's API v2: what it receives, and every way the exchange can fail without throwing.
import assert from 'node:assert/strict';
import { type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { type SilenceRequest, createAlertmanagerSilence, redactedUrl } from '../../src/delivery/alertmanagerSilences.js';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server | undefined;
let received: Received[] = [];

/** An Alertmanager stand-in; `answer` decides what it says (or never says) to each request. */
async function startAlertmanager(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  received = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = (status: number, body: unknown) => (_req: IncomingMessage, res: ServerResponse) =>
  void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const text = (status: number, body: string) => (_req: IncomingMessage, res: ServerResponse) =>
  void res.writeHead(status, { 'content-type': 'text/plain' }).end(body);

afterEach(async () => {
  if (!server) return;
  const closing = server;
  server = undefined;
  // Hanging requests (the timeout cases) would otherwise keep close() waiting.
  closing.closeAllConnections();
  await new Promise<void>((resolve) => closing.close(() => resolve()));
});

const STARTS = new Date('2026-11-23T12:00:00.000Z');
const ENDS = new Date('2026-11-23T16:00:00.000Z');

function silence(externalUrl: string, extra: Partial<SilenceRequest> = {}): SilenceRequest {
  return {
    externalUrl,
    matchers: [
      { name: 'alertname', value: 'DiskFull' },
      { name: 'instance', value: 'db-1:9100' },
    ],
    startsAt: STARTS,
    endsAt: ENDS,
    createdBy: 'ada (Slack U0ADMIN via Herald)',
    comment: 'Silenced for 4h from #alerts',
    ...extra,
  };
}

/** A fetch that must never be called: for the requests refused before any network traffic. */
function noFetch(): { fetch: typeof fetch; calls: number } {
  const spy = {
    calls: 0,
    fetch: (async () => {
      spy.calls += 1;
      throw new Error('no request expected');
    }) as typeof fetch,
  };
  return spy;
}

describe('createAlertmanagerSilence', () => {
  it('posts the postableSilence to {externalURL}/api/v2/silences, keeping a path prefix and dropping a trailing slash', async () => {
    const base = await startAlertmanager(json(200, { silenceID: '7d1bd1a6-7c3c-4a9f-9b3f-3c6f0d0e2a11' }));
    const result = await createAlertmanagerSilence(silence(`${base}/alertmanager/`));
    assert.deepEqual(result, { ok: true, silenceId: '7d1bd1a6-7c3c-4a9f-9b3f-3c6f0d0e2a11' });
    const [request] = received;
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/alertmanager/api/v2/silences');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers.authorization, undefined);
    assert.deepEqual(JSON.parse(request.body), {
      matchers: [
        { name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true },
        { name: 'instance', value: 'db-1:9100', isRegex: false, isEqual: true },
      ],
      startsAt: '2026-11-23T12:00:00.000Z',
      endsAt: '2026-11-23T16:00:00.000Z',
      createdBy: 'ada (Slack U0ADMIN via Herald)',
      comment: 'Silenced for 4h from #alerts',
    });
  });

  it('uses the root path for a bare externalURL, with or without a slash, and ignores a query or UI fragment', async () => {
    const base = await startAlertmanager(json(200, { silenceID: 's-1' }));
    for (const url of [base, `${base}/`, `${base}//`, `${base}/?x=1`, `${base}/#/alerts`]) {
      assert.deepEqual(await createAlertmanagerSilence(silence(url)), { ok: true, silenceId: 's-1' }, url);
    }
    assert.deepEqual(received.map((r) => r.path), Array(5).fill('/api/v2/silences'));
  });

  it('sends credentials in the URL as basic auth and never puts them in a reason', async () => {
    const base = await startAlertmanager(text(401, 'Unauthorized'));
    const withCredentials = base.replace('http://', 'http://herald:s3cr%40t@');
    const result = await createAlertmanagerSilence(silence(`${withCredentials}/am/`));
    assert.deepEqual(result, { ok: false, reason: 'Alertmanager answered 401: Unauthorized' });
    assert.equal(received[0]?.path, '/am/api/v2/silences');
    assert.equal(received[0]?.headers.authorization, `Basic ${Buffer.from('herald:s3cr@t').toString('base64')}`);
    assert.equal(redactedUrl(`${withCredentials}/am/?token=x`), `${base}/am/`);

    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const refused = await createAlertmanagerSilence(silence(withCredentials));
    assert.equal(refused.ok, false);
    assert.doesNotMatch(JSON.stringify(refused), /herald|s3cr/);
  });

  it('reports a 400 with Alertmanager’s message (a JSON string) or a plain-text body', async () => {
    const base = await startAlertmanager(json(400, 'Failed to create silence: end time can\'t be in the past'));
    assert.deepEqual(await createAlertmanagerSilence(silence(base)), {
      ok: false,
      reason: "Alertmanager answered 400: Failed to create silence: end time can't be in the past",
    });
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const plain = await startAlertmanager(text(400, 'bad matcher\n  name "x y"'));
    assert.deepEqual(await createAlertmanagerSilence(silence(plain)), { ok: false, reason: 'Alertmanager answered 400: bad matcher name "x y"' });
  });

  it('reports a 500, shortening a long error page to about 200 characters', async () => {
    const base = await startAlertmanager(text(500, `<html><body>${'internal error '.repeat(100)}</body></html>`));
    const result = await createAlertmanagerSilence(silence(base));
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.match(result.reason, /^Alertmanager answered 500: <html><body>internal error internal error/);
    assert.equal(result.reason.length, 200);
    assert.ok(result.reason.endsWith('…'));
  });

  it('reports a 200 that is not JSON, or that has no silenceID', async () => {
    const base = await startAlertmanager(text(200, '<html>login</html>'));
    assert.deepEqual(await createAlertmanagerSilence(silence(base)), { ok: false, reason: 'Alertmanager answered 200 with a body that is not JSON' });
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const other = await startAlertmanager(json(200, { status: 'success', data: { silenceId: 'v1-shape' } }));
    assert.deepEqual(await createAlertmanagerSilence(silence(other)), { ok: false, reason: 'Alertmanager answered 200 without a silenceID' });
  });

  it('does not follow redirects', async () => {
    const base = await startAlertmanager((_req, res) => void res.writeHead(302, { location: '/login' }).end());
    assert.deepEqual(await createAlertmanagerSilence(silence(base)), { ok: false, reason: 'Alertmanager answered 302, a redirect Herald does not follow' });
    assert.equal(received.length, 1);
  });

  it('gives up after timeoutMs when the server never answers, or stalls mid-body', async () => {
    const base = await startAlertmanager(() => {
      // Never answers.
    });
    const started = Date.now();
    const silent = await createAlertmanagerSilence(silence(base), { timeoutMs: 150 });
    assert.deepEqual(silent, { ok: false, reason: `Alertmanager at ${new URL(base).host} did not answer within 150 ms` });
    assert.ok(Date.now() - started < 2000, 'the timeout, not the server, ended the wait');
    await new Promise<void>((resolve) => {
      server?.closeAllConnections();
      server?.close(() => resolve());
    });

    const stalling = await startAlertmanager((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"silenceID":');
    });
    const stalled = await createAlertmanagerSilence(silence(stalling), { timeoutMs: 150 });
    assert.deepEqual(stalled, { ok: false, reason: `Alertmanager at ${new URL(stalling).host} did not answer within 150 ms` });
  });

  it('reports a refused connection', async () => {
    const base = await startAlertmanager(json(200, { silenceID: 'never' }));
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    assert.deepEqual(await createAlertmanagerSilence(silence(base)), { ok: false, reason: `could not reach Alertmanager at ${new URL(base).host} (ECONNREFUSED)` });
  });

  it('refuses URLs that are not http(s) without a request', async () => {
    const spy = noFetch();
    const notHttp = { ok: false, reason: 'the Alertmanager URL must start with http:// or https://' };
    assert.deepEqual(await createAlertmanagerSilence(silence('ftp://am.example/'), spy), notHttp);
    assert.deepEqual(await createAlertmanagerSilence(silence('file:///etc/passwd'), spy), notHttp);
    // Without a scheme the user name would parse as one; it must not be echoed.
    assert.deepEqual(await createAlertmanagerSilence(silence('herald:s3cret@am.example:9093'), spy), notHttp);
    assert.deepEqual(await createAlertmanagerSilence(silence('http://[am.example'), spy), { ok: false, reason: 'the Alertmanager URL is not a valid URL' });
    assert.equal(spy.calls, 0);
  });

  it('refuses an empty matcher list, matchers that only match the empty string, and an end not after the start, without a request', async () => {
    const spy = noFetch();
    const url = 'http://am.example:9093/';
    assert.deepEqual(await createAlertmanagerSilence(silence(url, { matchers: [] }), spy), { ok: false, reason: 'a silence needs at least one matcher' });
    assert.deepEqual(await createAlertmanagerSilence(silence(url, { matchers: [{ name: 'env', value: '' }] }), spy), {
      ok: false,
      reason: 'at least one matcher must not match the empty string',
    });
    assert.deepEqual(await createAlertmanagerSilence(silence(url, { matchers: [{ name: '', value: 'x' }] }), spy), { ok: false, reason: 'a matcher has no label name' });
    assert.deepEqual(await createAlertmanagerSilence(silence(url, { endsAt: STARTS }), spy), { ok: false, reason: 'the silence must end after it starts' });
    assert.deepEqual(await createAlertmanagerSilence(silence(url, { endsAt: new Date(Number.NaN) }), spy), { ok: false, reason: 'the silence has an invalid start or end time' });
    assert.equal(spy.calls, 0);
  });

  it('never throws, even when the fetch it is given does', async () => {
    const throwing = (() => {
      throw new Error('boom at http://user:pw@am.example/');
    }) as unknown as typeof fetch;
    const result = await createAlertmanagerSilence(silence('http://am.example/'), { fetch: throwing });
    assert.equal(result.ok, false);
    assert.doesNotMatch(JSON.stringify(result), /user|pw@/);
  });
});
