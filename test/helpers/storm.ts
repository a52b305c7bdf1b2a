// Helpers for the delivery tests that run Herald as child processes (crash, two processes): a
// storm of alert groups spread over several channels by filters, the database seen from the test
// process, and the emulator's messages counted per channel and group.
import type { Database, Db } from '../../src/db/database.js';
import { openDatabase } from '../../src/db/database.js';
import { silentLogger } from '../../src/log.js';
import type { PostedMessage, RecordedCall, SlackEmulator } from '../emulator/index.js';
import { fastGrouping } from './alerts.js';
import { WORKSPACE } from './ingest.js';

/** The channel the install picked (its incoming webhook), then the ones the tests add. */
export const STORM_CHANNELS = ['C0ALERTS', 'C0A', 'C0B', 'C0C', 'C0D', 'C0E'] as const;

/** One alert group of the storm: two alerts (pods a and b) that share alertname and instance. */
export interface StormGroup {
  index: number;
  alertname: string;
  instance: string;
  /** The header's title: the alerts' common summary. */
  title: string;
  /** The channels whose filters take it. */
  channels: string[];
}

/**
 * `count` groups; group i carries `route=r<i mod n>` and goes to channels i mod n and i+1 mod n
 * (see stormFilters), so every channel gets as many groups as the next and each group is in two.
 */
export function stormGroups(count: number, channels: readonly string[] = STORM_CHANNELS): StormGroup[] {
  return Array.from({ length: count }, (_, index) => {
    const n = String(index).padStart(2, '0');
    const route = index % channels.length;
    return {
      index,
      alertname: `Storm${n}`,
      instance: `host-${n}`,
      title: `Storm${n} on host-${n}`,
      channels: [channels[route] as string, channels[(route + 1) % channels.length] as string],
    };
  });
}

/** The filter of the channel at `position`: its own route and the one before it. */
export function stormFilter(position: number, channelCount: number = STORM_CHANNELS.length): string {
  const previous = (position - 1 + channelCount) % channelCount;
  return `route=~"r${position}|r${previous}"`;
}

let sent = 0;

/**
 * An Alertmanager (v4) payload with one alert per (group, pod). No fingerprint is given, so Herald
 * takes the labels' fingerprint: pods a and b are two alerts of one group (group_by alertname,instance).
 */
export function stormPayload(alerts: { group: StormGroup; pod: 'a' | 'b'; status?: 'firing' | 'resolved' }[], channelCount: number = STORM_CHANNELS.length): string {
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{storm="${++sent}"}`,
    truncatedAlerts: 0,
    status: alerts.every((a) => a.status === 'resolved') ? 'resolved' : 'firing',
    receiver: 'herald',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.test:9093',
    alerts: alerts.map(({ group, pod, status = 'firing' }) => ({
      status,
      labels: { alertname: group.alertname, instance: group.instance, pod, route: `r${group.index % channelCount}`, severity: 'critical' },
      annotations: { summary: group.title },
      startsAt,
      endsAt: status === 'resolved' ? new Date(Date.now() - 1000).toISOString() : '0001-01-01T00:00:00Z',
      generatorURL: `http://prometheus.test/graph?g0.expr=${group.alertname}&n=${sent}`,
    })),
  });
}

/** The database as the test process sees it, beside the Herald processes. */
export function observe(databaseUrl: string): Promise<Database> {
  return openDatabase(databaseUrl, silentLogger());
}

/**
 * Turns the install's channel and C0A…C0E into the storm's channels: the filters of stormFilter, and
 * group_by alertname,instance with no group_wait and a 1 s group_interval. The added channels get the
 * next free slots, as `/herald add` would give them; the emulator learns of them too, with Herald
 * invited, so it can read their history (to find a post a kill left unanswered, instead of posting
 * it again).
 */
export async function prepareStormChannels(db: Db, emulator: SlackEmulator, channels: readonly string[] = STORM_CHANNELS): Promise<void> {
  await fastGrouping(db);
  await db.installation.update({ where: { id: WORKSPACE }, data: { groupBy: 'alertname,instance' } });
  for (const [position, channelId] of channels.entries()) {
    const filters = stormFilter(position, channels.length);
    const existing = await db.channel.findUnique({ where: { installationId_channelId: { installationId: WORKSPACE, channelId } } });
    if (existing) {
      await db.channel.update({ where: { id: existing.id }, data: { filters } });
      continue;
    }
    emulator.addChannel(WORKSPACE, { id: channelId, name: channelId.toLowerCase(), members: [emulator.botUserId(WORKSPACE) ?? ''] });
    const taken = await db.channel.findMany({ where: { installationId: WORKSPACE }, select: { slot: true } });
    const slot = Math.max(0, ...taken.map((c) => c.slot)) + 1;
    await db.channel.create({ data: { installationId: WORKSPACE, channelId, name: channelId.toLowerCase(), addedBy: 'U0ADMIN', slot, filters } });
  }
}

/**
 * Delivery has nothing left to do: every accepted alert filed, the outbox empty (dead rows count as
 * left over: a test then fails on them), and no group due for evaluation soon. The repeat interval
 * is Herald's default (12 h), so a group due within a minute has news still to be told.
 */
export async function settled(db: Db): Promise<boolean> {
  if ((await db.incomingAlert.count({ where: { processedAt: null } })) > 0) return false;
  if ((await db.outboxMessage.count({ where: { deadAt: null } })) > 0) return false;
  const soon = new Date(Date.now() + 60_000);
  return (await db.alertGroup.count({ where: { openKey: { not: null }, nextEvaluationAt: { lte: soon } } })) === 0;
}

/** The header of an alert message, e.g. "🔴 Firing: Storm03 on host-03"; '' for other messages. */
export function headerOf(message: { blocks?: unknown[] }): string {
  const header = message.blocks?.[0] as { type?: string; text?: { text?: string } } | undefined;
  return header?.type === 'header' ? (header.text?.text ?? '') : '';
}

/** The group title and state a header shows, or null when the message is not an alert message. */
export function parseHeader(message: { blocks?: unknown[] }): { state: 'Firing' | 'Resolved'; title: string } | null {
  const match = /(Firing|Resolved): (.*)$/.exec(headerOf(message));
  return match ? { state: match[1] as 'Firing' | 'Resolved', title: match[2] as string } : null;
}

/** Alert messages posted top-level in a channel (parents, not thread replies), as they stand now. */
export function parentMessages(emulator: SlackEmulator, channel: string): (PostedMessage & { title: string; state: string })[] {
  return emulator.messages(channel).flatMap((message) => {
    const header = parseHeader(message);
    return message.thread_ts === undefined && header ? [{ ...message, title: header.title, state: header.state }] : [];
  });
}

/** How many parent messages each (channel, title) has. */
export function parentCounts(emulator: SlackEmulator, channels: readonly string[] = STORM_CHANNELS): Map<string, number> {
  const counts = new Map<string, number>();
  for (const channel of channels) {
    for (const message of parentMessages(emulator, channel)) {
      const key = `${channel} ${message.title}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** A chat.postMessage Slack accepted for a parent alert message (not a thread reply). */
export function isParentPost(call: RecordedCall): boolean {
  return call.method === 'chat.postMessage' && call.status === 200 && call.response.ok === true && call.args.thread_ts === undefined && parseHeader(call.args as { blocks?: unknown[] }) !== null;
}

/**
 * Calls `listener` synchronously for every Web API call the emulator records: after Slack did what
 * the call asked, before the caller gets the answer. Returns the function that stops listening.
 */
export function onEmulatorCall(emulator: SlackEmulator, listener: (call: RecordedCall) => void): () => void {
  const calls = emulator.calls;
  const push = Array.prototype.push;
  calls.push = (...items: RecordedCall[]) => {
    const length = push.apply(calls, items);
    for (const call of items) listener(call);
    return length;
  };
  return () => {
    calls.push = push;
  };
}


/** The value of a Prometheus counter in a /metrics exposition (summing its series when `labels` is left out). */
export async function counterValue(heraldUrl: string, name: string, labels?: string): Promise<number> {
  const text = await (await fetch(`${heraldUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!rest.startsWith(' ') && !rest.startsWith('{')) continue;
    if (labels !== undefined && !rest.startsWith(`{${labels}}`)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
