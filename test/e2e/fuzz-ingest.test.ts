// Property test: whatever a client sends to the ingest endpoints (random JSON, near-valid payloads,
// random bytes, random headers, methods and paths, or garbage on the raw socket) Herald answers
// with a 2xx or 4xx, never a 5xx, and keeps serving. The run counts are bounded to keep this to
// seconds (FUZZ_RUNS=5000 runs more); a failure prints the seed and the shrunk request to replay.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ALERT_FORMATS } from '../../src/alerts/alert.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { createToken, ingestHerald, postAlerts } from '../helpers/ingest.js';

const HTTP_RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const RAW_RUNS = Math.ceil(HTTP_RUNS / 5);

const printable = (maxLength: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${maxLength}}$`));
const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 }));
const time = fc.oneof(fc.date().map((date) => (Number.isNaN(date.getTime()) ? 'Invalid' : date.toISOString())), text, fc.integer(), fc.constant(null));
const labels = fc.oneof(fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean()), { maxKeys: 6 }), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));

/** Bodies close enough to a real payload to get past the first checks, and sometimes all of them. */
const nearValid = fc.oneof(
  fc.record(
    {
      version: fc.constant('4'),
      status: fc.oneof(fc.constantFrom('firing', 'resolved', ''), text),
      groupKey: fc.option(text),
      groupLabels: labels,
      externalURL: fc.oneof(fc.constant('https://am.example.com'), text),
      truncatedAlerts: fc.oneof(fc.nat(), fc.integer(), fc.double()),
      alerts: fc.array(
        fc.record(
          {
            status: fc.oneof(fc.constantFrom('firing', 'resolved'), text),
            labels,
            annotations: labels,
            startsAt: time,
            endsAt: time,
            generatorURL: fc.oneof(fc.webUrl(), text),
            fingerprint: fc.option(text),
          },
          { requiredKeys: ['status'] },
        ),
        { maxLength: 8 },
      ),
    },
    { requiredKeys: ['alerts'] },
  ),
  fc.record({ title: fc.oneof(text, fc.integer()), severity: fc.option(text), labels, links: fc.jsonValue({ maxDepth: 3 }), startsAt: time }, { requiredKeys: ['title'] }),
  fc.record({ text: fc.option(text), blocks: fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 4 }), attachments: fc.jsonValue({ maxDepth: 4 }) }, { requiredKeys: [] }),
);

const body = fc.oneof(
  nearValid.map((value) => JSON.stringify(value)),
  fc.json({ maxDepth: 5 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 2048 }),
);

const headerName = fc.oneof(
  fc.constantFrom('authorization', 'x-herald-signature', 'x-herald-timestamp', 'x-forwarded-for', 'content-encoding', 'accept', 'content-type'),
  fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
);

/** Valid payloads with random content, so that a share of the requests is stored (202). */
const isoTime = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString());
const stringMap = fc.dictionary(text, text, { maxKeys: 5 });
const nonBlank = text.filter((value) => value.trim() !== '');
const valid = fc.oneof(
  fc.record({
    format: fc.constant('alertmanager'),
    body: fc.record({ groupKey: text, alerts: fc.array(fc.record({ status: fc.constantFrom('firing', 'resolved'), labels: stringMap, annotations: stringMap, startsAt: isoTime }), { maxLength: 5 }) }),
  }),
  fc.record({ format: fc.constant('generic'), body: fc.record({ title: nonBlank, text, labels: stringMap, annotations: stringMap }) }),
  fc.record({ format: fc.constant('slack'), body: fc.record({ text: nonBlank }) }),
);
const validRequest = valid.map(({ format, body }) => ({ method: 'POST', format, via: 'header', randomToken: '', contentType: 'application/json', body: JSON.stringify(body), headers: {} }));

const randomRequest = fc.record({
  method: fc.oneof({ weight: 5, arbitrary: fc.constant('POST') }, fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS')),
  format: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ALERT_FORMATS) }, fc.string({ maxLength: 20 }).map(encodeURIComponent)),
  via: fc.constantFrom('header', 'path', 'none', 'random', 'signed'),
  randomToken: fc.stringMatching(/^[A-Za-z0-9_-]{0,60}$/),
  contentType: fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'), printable(40)),
  body,
  headers: fc.dictionary(headerName, printable(60), { maxKeys: 4 }),
});

const request = fc.oneof({ weight: 1, arbitrary: validRequest }, { weight: 3, arbitrary: randomRequest });

for (const kind of testDatabaseKinds()) {
  describe(`fuzzing the ingest endpoints on ${kind.name}`, () => {
    const t = ingestHerald(kind);
    const tokens = { plain: '', signed: '' };

    before(async () => {
      const db = t.herald.herald.database.prisma;
      tokens.plain = (await createToken(db)).token;
      tokens.signed = (await createToken(db, { signingSecret: 'hrlds_fuzz' })).token;
    });

    const stillServing = async () => {
      assert.equal((await fetch(`${t.herald.url}/healthz`)).status, 200);
      const accepted = await postAlerts(t.herald.url, 'generic', JSON.stringify({ title: `still here ${Math.random()}` }), { token: tokens.plain });
      assert.equal(accepted.status, 202);
    };

    it('never answers 5xx to random requests, and keeps serving', async () => {
      const seen = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const token = r.via === 'signed' ? tokens.signed : r.via === 'random' ? `hrld_${r.randomToken}` : tokens.plain;
          const via = r.via === 'none' ? undefined : r.via === 'path' ? 'path' : 'header';
          const response = await postAlerts(t.herald.url, r.format, r.body, {
            method: r.method,
            token: via === undefined ? undefined : token,
            via,
            headers: { 'content-type': r.contentType, ...r.headers },
          }).catch((error: unknown) => {
            // fetch itself refuses some combinations (a body with GET); those never reach Herald.
            if (error instanceof TypeError && !String(error.cause ?? '').includes('ECONN')) return null;
            throw error;
          });
          if (response === null) return;
          const answer = await response.text();
          seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
          assert.ok(response.status < 500, `answered ${response.status}: ${answer}`);
          assert.ok(typeof JSON.parse(answer).error === 'string' || response.status === 202, `a JSON answer: ${answer}`);
        }),
        { numRuns: HTTP_RUNS },
      );
      await stillServing();
      // The generators reach the interesting paths, not only the first refusal.
      for (const status of [202, 400, 401, 404, 415]) assert.ok((seen.get(status) ?? 0) > 0, `some requests answered ${status}: ${JSON.stringify([...seen])}`);
    });

    it('survives garbage on the raw socket, inside and outside an HTTP request', async () => {
      const { port } = new URL(t.herald.url);
      const garbage = fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 1024 }).map((bytes) => Buffer.from(bytes)),
        fc.tuple(fc.uint8Array({ maxLength: 512 }), fc.nat({ max: 2_000_000 })).map(([bytes, length]) =>
          Buffer.concat([Buffer.from(`POST /alerts/alertmanager HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${tokens.plain}\r\nContent-Length: ${length}\r\n\r\n`), Buffer.from(bytes)]),
        ),
      );
      await fc.assert(
        fc.asyncProperty(garbage, async (bytes) => {
          const socket = connect(Number(port), '127.0.0.1');
          socket.on('error', () => {}); // Herald may reset a connection it gave up on
          let reply = '';
          socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
          socket.write(bytes);
          // Wait for an answer or at most a moment; a body still owed is simply never sent.
          await new Promise((resolve) => {
            socket.once('close', resolve);
            setTimeout(resolve, 50);
          });
          socket.destroy();
          const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);
          assert.ok(status < 500, `answered ${reply.slice(0, 200)}`);
        }),
        { numRuns: RAW_RUNS },
      );
      await stillServing();
    });
  });
}
