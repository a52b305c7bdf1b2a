// Helpers for the resilience tests (crashes, a database restart, a Slack outage): a seeded random
// source so that a failing run can be replayed, POSTs that record what Herald answered and how
// fast, alert groups routed one per channel, and the "everything accepted was delivered" check.
import type { ChildProcess } from 'node:child_process';
import type { Db } from '../../src/db/database.js';
import type { SlackEmulator } from '../emulator/index.js';
import { fastGrouping } from './alerts.js';
import { WORKSPACE } from './ingest.js';

// ---------------------------------------------------------------------------------------------
// Seeded randomness

export interface Random {
  seed: number;
  /** In [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    seed,
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)] as (typeof items)[number],
    shuffle: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i);
        [copy[i], copy[j]] = [copy[j] as (typeof copy)[number], copy[i] as (typeof copy)[number]];
      }
      return copy;
    },
  };
}

/** RESILIENCE_SEED when set (to replay a failure), else a fresh one; tests print it. */
export function resilienceSeed(): number {
  const fromEnv = process.env.RESILIENCE_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    if (!Number.isInteger(seed)) throw new Error(`RESILIENCE_SEED must be an integer, not ${fromEnv}`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

/**
 * Until the returned function is called, a SIGTERM or SIGINT to the test process (the test runner
 * ending a file that overran its timeout) SIGKILLs `child()` first, so no Herald is left orphaned.
 */
export function killOnSignal(child: () => ChildProcess | undefined): () => void {
  const remove = () => {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    child()?.kill('SIGKILL');
    remove();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return remove;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `promise`, or a failure naming `what` after `ms`; the timer does not outlive the promise. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// POSTs with their outcome

export interface PostOutcome {
  /** The HTTP status, or what happened instead of an answer. */
  status: number | 'connection_error' | 'timeout';
  /** How long the answer took. */
  ms: number;
  /** When the request was sent (Date.now()). */
  at: number;
  body: string;
}

/** Like postAlerts, with a time limit: a request Herald leaves hanging ends as 'timeout'. */
export async function postWithin(url: string, body: string, token: string, timeoutMs: number): Promise<PostOutcome> {
  const at = Date.now();
  try {
    const response = await fetch(`${url}/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, ms: Date.now() - at, at, body: await response.text() };
  } catch (error) {
    const name = (error as Error).name;
    return { status: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'connection_error', ms: Date.now() - at, at, body: String((error as Error).message) };
  }
}

/** GET /readyz's status, or 'connection_error' / 'timeout'. */
export async function readyStatus(url: string, timeoutMs = 5_000): Promise<number | 'connection_error' | 'timeout'> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    const name = (error as Error).name;
    return name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'connection_error';
  }
}

// ---------------------------------------------------------------------------------------------
// Alert groups routed one per channel

/**
 * Channel i (the install's channel first) takes the alerts labelled route="r<i>"; alerts are grouped
 * by alertname, with no group_wait and a short group_interval (1 s unless told). Channels other than the install's are
 * added as `/herald add` would, and made known to the emulator.
 */
export async function routeOneGroupPerChannel(db: Db, emulator: SlackEmulator, channels: readonly string[], groupIntervalSeconds = 1): Promise<void> {
  await fastGrouping(db, WORKSPACE, groupIntervalSeconds);
  await db.installation.update({ where: { id: WORKSPACE }, data: { groupBy: 'alertname' } });
  for (const [position, channelId] of channels.entries()) {
    const filters = `route="r${position}"`;
    const existing = await db.channel.findUnique({ where: { installationId_channelId: { installationId: WORKSPACE, channelId } } });
    if (existing) {
      await db.channel.update({ where: { id: existing.id }, data: { filters } });
      continue;
    }
    emulator.addChannel(WORKSPACE, { id: channelId, name: channelId.toLowerCase() });
    const taken = await db.channel.findMany({ where: { installationId: WORKSPACE }, select: { slot: true } });
    const slot = Math.max(0, ...taken.map((c) => c.slot)) + 1;
    await db.channel.create({ data: { installationId: WORKSPACE, channelId, name: channelId.toLowerCase(), addedBy: 'U0ADMIN', slot, filters } });
  }
}

let routedCount = 0;

/** The title (common summary) of routed group `group`: what its message's header shows. */
export const routedTitle = (group: string) => `${group} is on fire`;

/**
 * An Alertmanager (v4) payload; each alert is identified by `id` (a label, so each is its own alert)
 * and belongs to group `group` (its alertname), sent to the channel at `route`.
 */
export function routedPayload(alerts: { group: string; route: number; id: string; status?: 'firing' | 'resolved' }[]): string {
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  routedCount += 1;
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{resilience="${routedCount}"}`,
    truncatedAlerts: 0,
    status: alerts.every((a) => a.status === 'resolved') ? 'resolved' : 'firing',
    receiver: 'herald',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.test:9093',
    alerts: alerts.map(({ group, route, id, status = 'firing' }) => ({
      status,
      labels: { alertname: group, route: `r${route}`, alert: id, severity: 'critical' },
      annotations: { summary: routedTitle(group) },
      startsAt,
      endsAt: status === 'resolved' ? new Date(Date.now() - 1000).toISOString() : '0001-01-01T00:00:00Z',
      generatorURL: `http://prometheus.test/graph?g0.expr=${group}&n=${routedCount}`,
    })),
  });
}

// ---------------------------------------------------------------------------------------------
// Everything accepted was delivered

export interface DeliveryState {
  /** Accepted alerts not yet filed into groups. */
  unprocessed: number;
  /** Outbox rows still to send. */
  pending: number;
  /** Outbox rows given up on. */
  dead: { id: number; kind: string; deadReason: string | null }[];
  /** Open groups holding alerts (or alert states) their channel has not been told of yet (group_interval). */
  untold: { channel: string; labels: string; nextEvaluationAt: Date | null }[];
  /** Open groups whose message is missing or behind the group (version > sentVersion). */
  behind: { id: string; channel: string; labels: string; messageTs: string | null; version: number; sentVersion: number }[];
  /** Open groups whose stored message ts is not a message the emulator holds. */
  missingInSlack: { channel: string; labels: string; messageTs: string }[];
  /** Channels holding a lease that has not expired, with its end. */
  leases: { channel: string; leaseOwner: string; leaseUntil: Date }[];
}

export async function deliveryState(db: Db, emulator: SlackEmulator): Promise<DeliveryState> {
  const now = new Date();
  const unprocessed = await db.incomingAlert.count({ where: { processedAt: null } });
  const pending = await db.outboxMessage.count({ where: { deadAt: null } });
  const dead = await db.outboxMessage.findMany({ where: { deadAt: { not: null } }, select: { id: true, kind: true, deadReason: true } });
  const groups = await db.alertGroup.findMany({ where: { openKey: { not: null } }, include: { channel: true, alerts: { select: { fingerprint: true, status: true } } } });
  const untold = groups
    .filter((g) => {
      const firing = new Set(JSON.parse(g.notifiedFiring) as string[]);
      const resolved = new Set(JSON.parse(g.notifiedResolved) as string[]);
      return g.alerts.some((a) => !(a.status === 'firing' ? firing : resolved).has(a.fingerprint));
    })
    .map((g) => ({ channel: g.channel.channelId, labels: g.groupLabels, nextEvaluationAt: g.nextEvaluationAt }));
  const behind = groups
    .filter((g) => g.messageTs === null || g.sentVersion !== g.version)
    .map((g) => ({ id: g.id, channel: g.channel.channelId, labels: g.groupLabels, messageTs: g.messageTs, version: g.version, sentVersion: g.sentVersion }));
  const missingInSlack = groups
    .filter((g) => g.messageTs !== null && !emulator.messages(g.channel.channelId).some((m) => m.ts === g.messageTs))
    .map((g) => ({ channel: g.channel.channelId, labels: g.groupLabels, messageTs: g.messageTs as string }));
  const channels = await db.channel.findMany({ where: { leaseOwner: { not: null }, leaseUntil: { gt: now } } });
  const leases = channels.map((c) => ({ channel: c.channelId, leaseOwner: c.leaseOwner as string, leaseUntil: c.leaseUntil as Date }));
  return { unprocessed, pending, dead, untold, behind, missingInSlack, leases };
}

export const isDelivered = (s: DeliveryState) =>
  s.unprocessed === 0 && s.pending === 0 && s.dead.length === 0 && s.untold.length === 0 && s.behind.length === 0 && s.missingInSlack.length === 0;

/**
 * Waits until every accepted alert is filed and told (no group waits for its group_interval), the
 * outbox is empty and every open group's message shows its latest version. Fails at once when something is dead-lettered, and when groups stay
 * behind with nothing queued to bring them up to date (an update that was lost, not late): that
 * state is checked twice, `stuckMs` apart, since the reads are not one snapshot.
 * `extraMs(state)` extends the deadline (e.g. until a lease held by a live process expires).
 */
export async function waitForDelivery(
  db: Db,
  emulator: SlackEmulator,
  p: { timeoutMs: number; stuckMs?: number; extraMs?: (state: DeliveryState) => number; context?: () => string },
): Promise<DeliveryState> {
  const started = Date.now();
  let deadline = started + p.timeoutMs;
  // The groups found behind with nothing queued, and since when (the same ones).
  let stuckKey = '';
  let stuckAt = 0;
  let state = await deliveryState(db, emulator);
  const fail = (why: string) => new Error(`${why}\n${JSON.stringify(state, null, 1)}${p.context ? `\n${p.context()}` : ''}`);
  for (;;) {
    if (isDelivered(state)) return state;
    if (state.dead.length > 0) throw fail('Slack calls were dead-lettered');
    const stuck = state.unprocessed === 0 && state.pending === 0 && state.untold.length === 0 && state.behind.length > 0;
    if (stuck) {
      const key = JSON.stringify(state.behind);
      if (stuckKey !== key) {
        stuckKey = key;
        stuckAt = Date.now();
      } else if (Date.now() - stuckAt >= (p.stuckMs ?? 3_000)) {
        throw fail(
          'open groups are behind their latest version (version > sentVersion) and nothing is queued to update them: the update was lost, ' +
            'not delayed (see the groups under "behind")',
        );
      }
    } else stuckKey = '';
    if (p.extraMs) deadline = Math.max(deadline, started + p.timeoutMs + p.extraMs(state));
    if (Date.now() > deadline) throw fail(`not everything was delivered after ${Date.now() - started} ms`);
    await sleep(100);
    state = await deliveryState(db, emulator);
  }
}

/**
 * Ends the leases a killed process left behind, as their expiry would. A child process keeps the
 * production lease time (15 s, not settable from outside), which the tests do not wait for.
 */
export async function expireLeases(db: Db): Promise<number> {
  const { count } = await db.channel.updateMany({ where: { leaseOwner: { not: null }, leaseUntil: { gt: new Date() } }, data: { leaseUntil: new Date() } });
  return count;
}
