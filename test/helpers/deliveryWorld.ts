// A Herald, an emulated Slack and a fresh database for one delivery test, started inside the test so
// each test picks its own pacing, deadline and Slack behaviour (rate limits, token rotation). Acme is
// installed, grouping is fast (no group_wait, 1 s group_interval) and an ingest token is ready.
// Optionally Herald talks to Slack through a recording proxy, which keeps what the emulator's call
// list does not: the HTTP headers of each answer (Retry-After).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { Channel, Db, OutboxMessage } from '../../src/db/database.js';
import type { HeraldOptions } from '../../src/herald.js';
import type { SlackEmulator } from '../emulator/index.js';
import type { EmulatorOptions, PostedMessage, RecordedCall } from '../emulator/types.js';
import { alertmanagerPayload, fastGrouping, type TestAlert } from './alerts.js';
import type { TestDatabase, TestDatabaseKind } from './databases.js';
import { startEmulator, startTestHerald, type TestHerald } from './herald.js';
import { createToken, postAlerts } from './ingest.js';
import { installWorkspace } from './install.js';

export const TEAM = 'T0ACME';
export const ALERTS = 'C0ALERTS';

/** The emulator's default chat.postMessage limit per channel: Slack's documented pace of one a second. */
export const SLACK_PACE = { perSecond: 1, burst: 3 };

/** Slack answers as recorded by the proxy, in the order they were answered. */
export interface ProxiedCall {
  method: string;
  channel: string | undefined;
  status: number;
  /** The Retry-After header, in seconds, when there was one. */
  retryAfter: number | undefined;
  /** When the proxy received the request and when it sent the answer on (ms). */
  requestAt: number;
  responseAt: number;
}

export interface SlackProxy {
  /** SLACK_API_URL for Herald. */
  apiUrl: string;
  calls: ProxiedCall[];
  close(): Promise<void>;
}

export interface DeliveryWorldOptions {
  emulator?: Partial<EmulatorOptions>;
  /** Merged over { paceMs: 100 } (and the test helpers' short poll). */
  delivery?: HeraldOptions['delivery'];
  /** Route Herald's Slack calls through a proxy recording answer headers. */
  recordHeaders?: boolean;
}

export interface DeliveryWorld {
  emulator: SlackEmulator;
  herald: TestHerald;
  db: Db;
  proxy: SlackProxy | null;
  /** The ingest token alerts are sent with. */
  token: string;
  /** emulator.calls.length once set up: calls from there on are the test's. */
  since: number;
  /** POSTs an Alertmanager payload of `alerts` and checks it was accepted. */
  send(alerts: TestAlert[]): Promise<void>;
  /** Web API calls to `method` made since set-up. */
  callsTo(method: string): RecordedCall[];
  /** chat.postMessage calls to `channel` made since set-up, in order. */
  postsTo(channel?: string): RecordedCall[];
  /** Top-level alert messages (a Firing/Resolved header) in `channel`, as they stand now. */
  alertMessages(channel?: string): PostedMessage[];
  /** The sum of the samples of `name` in GET /metrics whose labels include `labels`. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Every outbox row, in queue order. */
  outbox(): Promise<OutboxMessage[]>;
  channel(channelId?: string): Promise<Channel>;
  /** A channel made in the emulator and added to Herald (as `/herald add` would, minus the checks). */
  addChannel(p: { id: string; name: string; isPrivate?: boolean; botIsMember?: boolean }): Promise<Channel>;
  /** What `/herald add` does to a broken channel once it is repaired: deliveries to it resume. */
  repairChannel(channelId?: string): Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The text of a message's header block (or '' without one). */
export const headerText = (message: { blocks?: unknown[] }): string => JSON.stringify(message.blocks?.[0] ?? '');

/** Starts the world for test `t` and tears it down when the test ends. */
export async function startDeliveryWorld(t: TestContext, kind: TestDatabaseKind, options: DeliveryWorldOptions = {}): Promise<DeliveryWorld> {
  const cleanups: (() => Promise<void>)[] = [];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const emulator = await startEmulator({ rateLimit: { perSecond: 50, burst: 50 }, ...options.emulator });
  cleanups.push(() => emulator.close());
  const proxy = options.recordHeaders ? await startSlackProxy(emulator) : null;
  if (proxy) cleanups.push(() => proxy.close());
  const database: TestDatabase = await kind.create();
  cleanups.push(() => database.drop());
  const herald = await startTestHerald({
    databaseUrl: database.url,
    emulator,
    delivery: { paceMs: 100, ...options.delivery },
    env: proxy ? { SLACK_API_URL: proxy.apiUrl } : {},
  });
  cleanups.push(() => herald.herald.close());
  const installed = await installWorkspace(herald.url, emulator);
  assert.equal(installed.status, 200, 'the workspace is installed');
  const db = herald.herald.database.prisma;
  await fastGrouping(db);
  const { token } = await createToken(db);
  const since = emulator.calls.length;

  const callsTo = (method: string) => emulator.calls.slice(since).filter((call) => call.method === method);
  const channel = (channelId = ALERTS) => db.channel.findUniqueOrThrow({ where: { installationId_channelId: { installationId: TEAM, channelId } } });
  return {
    emulator,
    herald,
    db,
    proxy,
    token,
    since,
    async send(alerts) {
      const response = await postAlerts(herald.url, 'alertmanager', alertmanagerPayload(alerts), { token });
      assert.equal(response.status, 202, `alerts accepted: ${await response.text()}`);
    },
    callsTo,
    postsTo: (channelId = ALERTS) => callsTo('chat.postMessage').filter((call) => call.args.channel === channelId),
    alertMessages: (channelId = ALERTS) => emulator.messages(channelId).filter((m) => m.thread_ts === undefined && /Firing|Resolved/.test(headerText(m))),
    async metric(name, labels = {}) {
      const text = await (await fetch(`${herald.url}/metrics`)).text();
      return metricValue(text, name, labels);
    },
    outbox: () => db.outboxMessage.findMany({ orderBy: { id: 'asc' } }),
    channel,
    async addChannel(p) {
      const bot = emulator.botUserId(TEAM);
      assert.ok(bot, 'the bot user exists once installed');
      emulator.addChannel(TEAM, { id: p.id, name: p.name, isPrivate: p.isPrivate, members: ['U0ADMIN', ...(p.botIsMember === false ? [] : [bot])] });
      const slot = (await db.channel.count({ where: { installationId: TEAM } })) + 1;
      return db.channel.create({ data: { installationId: TEAM, channelId: p.id, name: p.name, addedBy: 'U0ADMIN', slot } });
    },
    async repairChannel(channelId = ALERTS) {
      await db.channel.update({
        where: { installationId_channelId: { installationId: TEAM, channelId } },
        data: { brokenAt: null, brokenReason: null, lastError: null },
      });
      herald.herald.delivery.wake();
    },
  };
}

/** Sums the samples of a Prometheus text exposition named `name` whose labels include `labels`. */
export function metricValue(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labelText = match[3] ?? '';
    if (!Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`))) continue;
    sum += Number(match[4]);
  }
  return sum;
}

/**
 * Unarchives a channel, as a person would in Slack. The emulator has no method for it, so this reaches
 * into its world state (a test-side shortcut, not something Herald could do).
 */
export function unarchiveChannel(emulator: SlackEmulator, channelId: string): void {
  const core = (emulator as unknown as { core: { state: { requireChannel(id: string): { isArchived: boolean } } } }).core;
  core.state.requireChannel(channelId).isArchived = false;
}

/** An HTTP proxy in front of the emulator's Web API that records each answer's status and Retry-After. */
export async function startSlackProxy(emulator: SlackEmulator): Promise<SlackProxy> {
  const calls: ProxiedCall[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const requestAt = Date.now();
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(key)) headers[key] = value;
      }
      const target = new URL((req.url ?? '/').replace(/^\//, ''), emulator.url);
      const method = target.pathname.replace(/^\/api\//, '');
      void fetch(target, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body })
        .then(async (answer) => {
          const text = Buffer.from(await answer.arrayBuffer());
          const retryAfter = answer.headers.get('retry-after');
          const forwarded: Record<string, string> = {};
          answer.headers.forEach((value, key) => {
            if (!['connection', 'content-length', 'transfer-encoding', 'content-encoding', 'keep-alive'].includes(key)) forwarded[key] = value;
          });
          calls.push({ method, channel: channelOf(req.headers['content-type'], body), status: answer.status, retryAfter: retryAfter === null ? undefined : Number(retryAfter), requestAt, responseAt: Date.now() });
          res.writeHead(answer.status, forwarded).end(text);
        })
        .catch((error: unknown) => {
          res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: `proxy: ${(error as Error).message}` }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function channelOf(contentType: string | undefined, body: Buffer): string | undefined {
  const text = body.toString('utf8');
  if (contentType?.includes('application/json')) {
    try {
      const parsed = JSON.parse(text) as { channel?: unknown };
      return typeof parsed.channel === 'string' ? parsed.channel : undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(text).get('channel') ?? undefined;
}
