// Hostile clients at the HTTP layer: huge or countless headers, slow-loris connections that drip
// their headers or body, JSON nested 100,000 deep, 50 MB bodies. None may crash Herald, hold its
// connections for long or make it use memory in proportion to what the client sends; after each,
// Herald still answers /healthz and accepts an alert. The limits are src/http/server.ts's.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { describe, it, beforeEach, type TestContext } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  HEADERS_TIMEOUT_MS,
  KEEP_ALIVE_TIMEOUT_MS,
  MAX_HEADER_BYTES,
  REQUEST_TIMEOUT_MS,
  SOCKET_IDLE_TIMEOUT_MS,
  TIMEOUT_CHECK_INTERVAL_MS,
} from '../../src/http/server.js';
import { sqliteKind } from '../helpers/databases.js';
import { SLACK_APP, heraldPerTest } from '../helpers/herald.js';
import { createToken, postAlerts } from '../helpers/ingest.js';
import { slackSignature } from '../helpers/signing.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;
const rss = () => process.memoryUsage.rss();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What came back on a raw connection: the status line's code (0 if none), the text, and when it closed. */
interface RawReply {
  status: number;
  reply: string;
  /** Milliseconds from connecting to Herald closing the connection, or null if it stayed open. */
  closedAfterMs: number | null;
}

function statusOf(reply: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);
}

/**
 * Connects, lets `drive` write to the socket, and collects the answer until Herald closes the
 * connection or `giveUpMs` passes (then the connection is closed from this side).
 */
function rawConnection(port: number, drive: (socket: Socket) => void, giveUpMs: number): Promise<RawReply> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (chunk: Buffer) => {
      if (reply.length < 4096) reply += chunk.toString('latin1');
    });
    socket.on('error', () => {}); // Herald may reset a connection it gave up on
    const giveUp = setTimeout(() => {
      socket.removeAllListeners('close');
      socket.destroy();
      resolve({ status: statusOf(reply), reply, closedAfterMs: null });
    }, giveUpMs);
    socket.once('close', () => {
      clearTimeout(giveUp);
      resolve({ status: statusOf(reply), reply, closedAfterMs: Date.now() - started });
    });
    socket.once('connect', () => drive(socket));
  });
}

/** Writes `text` one byte every `everyMs` until the socket closes or the text runs out. */
function drip(socket: Socket, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return clearInterval(timer);
    socket.write(text.charAt(i++));
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

/**
 * Sends `head`, then up to `totalBytes` of body as fast as Herald reads it (chunked framing when
 * asked), stopping as soon as an answer arrives. One 64 KiB buffer is reused, so this side holds
 * no more than that: memory growth measured meanwhile is Herald's.
 */
function blast(port: number, head: string, totalBytes: number, chunked: boolean): Promise<RawReply & { bytesSent: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const piece = Buffer.alloc(64 * 1024, 0x5b); // '['
    const frameHead = Buffer.from(`${piece.length.toString(16)}\r\n`);
    const frameTail = Buffer.from('\r\n');
    let sent = 0;
    let reply = '';
    let done = false;
    const socket = connect(port, '127.0.0.1');
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ status: statusOf(reply), reply, closedAfterMs: Date.now() - started, bytesSent: sent });
    };
    const pump = () => {
      while (!done && sent < totalBytes && !socket.destroyed) {
        const ok = chunked ? socket.write(Buffer.concat([frameHead, piece, frameTail])) : socket.write(piece);
        sent += piece.length;
        if (!ok) return socket.once('drain', pump);
      }
      if (chunked && sent >= totalBytes && !socket.destroyed) socket.write('0\r\n\r\n');
    };
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (/\r\n\r\n/.test(reply)) finish(); // the answer's head is enough
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.once('connect', () => {
      socket.write(head);
      pump();
    });
    setTimeout(finish, 20_000);
  });
}

/** Samples RSS every few milliseconds while `work` runs: the baseline (after a GC) and the peak. */
async function measureRss<T>(work: () => Promise<T>): Promise<{ result: T; baseline: number; peak: number; after: number }> {
  gc();
  const baseline = rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 5);
  try {
    const result = await work();
    peak = Math.max(peak, rss());
    gc();
    return { result, baseline, peak, after: rss() };
  } finally {
    clearInterval(sampler);
  }
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

describe('hostile clients at the HTTP layer', () => {
  const t = heraldPerTest(sqliteKind, { install: true });
  let token = '';
  const port = () => Number(new URL(t.herald.url).port);
  const server = () => t.herald.herald.server;

  beforeEach(async () => {
    token = (await createToken(t.herald.herald.database.prisma)).token;
  });

  const stillServing = async () => {
    assert.equal((await fetch(`${t.herald.url}/healthz`)).status, 200, '/healthz answers');
    const accepted = await postAlerts(t.herald.url, 'generic', JSON.stringify({ title: `still here ${Math.random()}` }), { token });
    assert.equal(accepted.status, 202, 'a normal alert is accepted');
  };

  const signedHead = (body: { length: number } | null, extra = '') => {
    const timestamp = Math.floor(Date.now() / 1000);
    // The signature covers a body the client never finishes sending; it only has to look right.
    const signature = slackSignature(SLACK_APP.signingSecret, timestamp, '');
    const length = body === null ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`;
    return `POST /slack/events HTTP/1.1\r\nHost: herald\r\nContent-Type: application/json\r\nX-Slack-Request-Timestamp: ${timestamp}\r\nX-Slack-Signature: ${signature}\r\n${length}\r\n${extra}\r\n`;
  };
  const alertHead = (length: number | null, extra = '') =>
    `POST /alerts/generic HTTP/1.1\r\nHost: herald\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\n${
      length === null ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`
    }\r\n${extra}\r\n`;

  it('runs with the documented limits', () => {
    // Set from createServer's options; Node keeps them on the server, @types/node does not declare them.
    const s = server() as ReturnType<typeof server> & { maxHeaderSize?: number; connectionsCheckingInterval?: number };
    assert.equal(s.maxHeaderSize, MAX_HEADER_BYTES);
    assert.equal(MAX_HEADER_BYTES, 16 * 1024);
    assert.equal(s.headersTimeout, HEADERS_TIMEOUT_MS);
    assert.equal(s.requestTimeout, REQUEST_TIMEOUT_MS);
    assert.equal(s.keepAliveTimeout, KEEP_ALIVE_TIMEOUT_MS);
    assert.equal(s.timeout, SOCKET_IDLE_TIMEOUT_MS);
    assert.equal(s.connectionsCheckingInterval, TIMEOUT_CHECK_INTERVAL_MS);
    // Node requires headers to time out no later than the whole request; proxies need keep-alive > 60 s.
    assert.ok(HEADERS_TIMEOUT_MS <= REQUEST_TIMEOUT_MS);
    assert.ok(KEEP_ALIVE_TIMEOUT_MS > 60_000);
    assert.ok(SOCKET_IDLE_TIMEOUT_MS > 3_000, 'longer than Slack waits for an answer');
  });

  it('answers 431 to a 64 KiB header, a 64 KiB URL and 5,000 headers, and keeps serving', async () => {
    const big = 'a'.repeat(64 * 1024);
    const requests = {
      'a 64 KiB header on /alerts': alertHead(2, `X-Big: ${big}\r\n`) + '{}',
      'a 64 KiB header on /slack/events': signedHead({ length: 2 }, `X-Big: ${big}\r\n`) + '{}',
      'a 64 KiB header on /healthz': `GET /healthz HTTP/1.1\r\nHost: herald\r\nX-Big: ${big}\r\n\r\n`,
      'a 64 KiB URL': `GET /alerts/generic/${big} HTTP/1.1\r\nHost: herald\r\n\r\n`,
      '5,000 headers': `GET /healthz HTTP/1.1\r\nHost: herald\r\n${Array.from({ length: 5000 }, (_, i) => `X-H${i}: v\r\n`).join('')}\r\n`,
    };
    for (const [what, bytes] of Object.entries(requests)) {
      const answer = await rawConnection(port(), (socket) => socket.write(bytes), 5_000);
      assert.equal(answer.status, 431, `${what}: ${answer.reply.slice(0, 100)}`);
      assert.notEqual(answer.closedAfterMs, null, `${what}: the connection is closed`);
    }
    // Many headers that fit within 16 KiB are fine (Node keeps the first 2,000).
    const many = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`x-h${i}`, '1']));
    const accepted = await postAlerts(t.herald.url, 'generic', JSON.stringify({ title: 'many headers' }), { token, headers: many });
    assert.equal(accepted.status, 202);
    await stillServing();
  });

  it(`closes slow-loris connections after the real ${HEADERS_TIMEOUT_MS / 1000} s headers timeout, serving others meanwhile`, async (c: TestContext) => {
    const cutOff = (answer: RawReply, what: string) => {
      assert.notEqual(answer.closedAfterMs, null, `${what}: still open after ${HEADERS_TIMEOUT_MS + 5_000} ms`);
      const ms = answer.closedAfterMs as number;
      assert.ok(ms >= HEADERS_TIMEOUT_MS - 100, `${what}: closed after ${ms} ms, not before the timeout`);
      assert.ok(ms <= HEADERS_TIMEOUT_MS + 2 * TIMEOUT_CHECK_INTERVAL_MS + 1_000, `${what}: closed after ${ms} ms`);
      assert.equal(answer.status, 408, `${what}: ${answer.reply.slice(0, 100)}`);
    };
    const giveUp = HEADERS_TIMEOUT_MS + 5_000;
    const clients = [
      // A header byte every 200 ms: always active, never done (a classic slow-loris).
      ...Array.from({ length: 40 }, () => rawConnection(port(), (s) => drip(s, alertHead(2) + '{}', 200), giveUp)),
      ...Array.from({ length: 20 }, () => rawConnection(port(), (s) => drip(s, signedHead({ length: 2 }) + '{}', 200), giveUp)),
      // The request line, then nothing; and a connection that never says anything.
      ...Array.from({ length: 20 }, () => rawConnection(port(), (s) => s.write('POST /slack/events HTTP/1.1\r\n'), giveUp)),
      ...Array.from({ length: 20 }, () => rawConnection(port(), () => {}, giveUp)),
    ];
    await sleep(HEADERS_TIMEOUT_MS / 2);
    await stillServing(); // 100 stalled connections do not stop Herald serving others
    const answers = await Promise.all(clients);
    answers.forEach((answer, i) => cutOff(answer, `slow client ${i}`));
    const times = answers.map((a) => a.closedAfterMs as number);
    c.diagnostic(`100 slow clients closed after ${Math.min(...times)}–${Math.max(...times)} ms (headersTimeout ${HEADERS_TIMEOUT_MS} ms)`);
    await stillServing();
  });

  it('closes a connection whose body trickles in slower than the request timeout', async (c: TestContext) => {
    // The real request timeout is 30 s (asserted above); waiting that long would make this test
    // slow, so the running server's timeouts are shortened: Node reads them at every sweep.
    const s = server();
    s.headersTimeout = 2_000;
    s.requestTimeout = 3_000;
    try {
      const giveUp = 10_000;
      const body = JSON.stringify({ title: 'x'.repeat(500) });
      const clients = {
        'an alert body, a byte every 100 ms': rawConnection(port(), (socket) => (socket.write(alertHead(body.length)), drip(socket, body, 100)), giveUp),
        'a chunked alert body, a byte every 100 ms': rawConnection(
          port(),
          (socket) => (socket.write(alertHead(null)), drip(socket, [...body].map((ch) => `1\r\n${ch}\r\n`).join(''), 100)),
          giveUp,
        ),
        'a Slack event body, a byte every 100 ms': rawConnection(port(), (socket) => (socket.write(signedHead(body)), drip(socket, body, 100)), giveUp),
        'half a body, then silence': rawConnection(port(), (socket) => socket.write(alertHead(body.length) + body.slice(0, 250)), giveUp),
      };
      for (const [what, pending] of Object.entries(clients)) {
        const answer = await pending;
        assert.notEqual(answer.closedAfterMs, null, `${what}: still open`);
        const ms = answer.closedAfterMs as number;
        assert.ok(ms >= 3_000 - 100 && ms <= 3_000 + 2 * TIMEOUT_CHECK_INTERVAL_MS + 1_000, `${what}: closed after ${ms} ms`);
        assert.equal(answer.status, 408, `${what}: ${answer.reply.slice(0, 100)}`);
        c.diagnostic(`${what}: 408 and closed after ${ms} ms`);
      }
    } finally {
      s.headersTimeout = HEADERS_TIMEOUT_MS;
      s.requestTimeout = REQUEST_TIMEOUT_MS;
    }
    await stillServing();
  });

  it('answers 4xx to JSON nested 100,000 deep, 2 × 50 times, in bounded memory', async (c: TestContext) => {
    const depth = 100_000;
    const open = '['.repeat(depth);
    const closed = open + ']'.repeat(depth);
    const objects = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const signed = (body: string, contentType = 'application/json') => {
      const timestamp = Math.floor(Date.now() / 1000);
      return fetch(`${t.herald.url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(SLACK_APP.signingSecret, timestamp, body) },
        body,
      });
    };
    // An event for the installed workspace that Herald handles (App Home), with a deep field in it.
    const deepEvent = `{"type":"event_callback","team_id":"T0ACME","api_app_id":"A0HERALD","event_id":"Ev1","event_time":1,"authorizations":[{"team_id":"T0ACME","user_id":"U0BOT","is_bot":true,"is_enterprise_install":false}],"event":{"type":"app_home_opened","user":"U0ADMIN","tab":"home","deep":${closed}}}`;
    const cases: [string, number[], () => Promise<Response>][] = [
      ['/alerts: 100,000 [ never closed', [400], () => postAlerts(t.herald.url, 'generic', open, { token })],
      ['/alerts: 100,000 nested arrays', [400], () => postAlerts(t.herald.url, 'generic', closed, { token })],
      ['/alerts: 100,000 nested objects', [400], () => postAlerts(t.herald.url, 'alertmanager', objects, { token })],
      ['/slack/events: 100,000 [ never closed', [400], () => signed(open)],
      // Valid JSON but not a Slack request: Bolt finds no listener and answers 404 after its 3 s wait.
      ['/slack/events: 100,000 nested arrays', [404], () => signed(closed)],
      ['/slack/events: 100,000 nested objects', [404], () => signed(objects)],
      ['/slack/events: payload= 100,000 [', [400], () => signed(new URLSearchParams({ payload: open }).toString(), 'application/x-www-form-urlencoded')],
      ['/slack/events: an App Home event with a field 100,000 deep', [200], () => signed(deepEvent)],
    ];
    const round = () =>
      measureRss(() =>
        Promise.all(
          Array.from({ length: 50 }, async (_, i) => {
            const [what, expected, send] = cases[i % cases.length] as (typeof cases)[number];
            const response = await send();
            const text = await response.text();
            assert.ok(expected.includes(response.status), `${what}: answered ${response.status} ${text.slice(0, 200)}`);
          }),
        ),
      );
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const first = await round();
    const second = await round();
    const heapAfter = process.memoryUsage().heapUsed; // round() ends with a GC
    for (const [name, r] of [['first', first], ['second', second]] as const) {
      c.diagnostic(`${name} 50 requests: RSS ${mb(r.baseline)} before, peak ${mb(r.peak)} (+${mb(r.peak - r.baseline)}), ${mb(r.after)} after a GC`);
    }
    c.diagnostic(`heap used ${mb(heapBefore)} before, ${mb(heapAfter)} after 100 requests and a GC`);
    assert.ok(first.peak - first.baseline < 200 * MB, `RSS grew by ${mb(first.peak - first.baseline)} across 50 requests`);
    // Not a leak: the second round costs no more than the first, and the heap comes back down.
    assert.ok(second.peak - first.baseline < 200 * MB, `RSS grew by ${mb(second.peak - first.baseline)} across 100 requests`);
    assert.ok(heapAfter - heapBefore < 20 * MB, `the heap kept ${mb(heapAfter - heapBefore)}`);
    await stillServing();
  });

  it('answers 413 to 50 MB bodies at once, without reading them into memory', async (c: TestContext) => {
    const total = 50 * MB;
    const cases: [string, string, boolean][] = [
      // Declared too large: refused before a byte of the body is read.
      ['/alerts, Content-Length 50 MB', alertHead(total), false],
      // Chunked: refused once past 1 MiB, the rest never kept.
      ['/alerts, chunked 50 MB', alertHead(null), true],
      // Bolt's limit is 4 MB: declared, refused at once; chunked, after 4 MB.
      ['/slack/events, Content-Length 50 MB', signedHead({ length: total }), false],
      ['/slack/events, chunked 50 MB', signedHead(null), true],
    ];
    const connections = () => new Promise<number>((resolve, reject) => server().getConnections((error, count) => (error ? reject(error) : resolve(count))));
    for (const [what, head, chunked] of cases) {
      const before = await connections();
      const { result, baseline, peak } = await measureRss(() => blast(port(), head, total, chunked));
      // The client is gone: Herald lets go of its connection too, rather than keeping it until a timeout.
      const deadline = Date.now() + 2_000;
      while ((await connections()) > before && Date.now() < deadline) await sleep(20);
      assert.ok((await connections()) <= before, `${what}: the connection is still open after the client left`);
      c.diagnostic(`${what}: ${result.status} after ${result.closedAfterMs} ms, ${mb(result.bytesSent)} sent, RSS peak +${mb(peak - baseline)}`);
      assert.equal(result.status, 413, `${what}: ${result.reply.slice(0, 200)}`);
      assert.ok((result.closedAfterMs ?? Infinity) < 5_000, `${what}: answered after ${result.closedAfterMs} ms`);
      assert.ok(peak - baseline < 40 * MB, `${what}: RSS grew by ${mb(peak - baseline)}, near the body's size`);
      await stillServing();
    }
  });
});
