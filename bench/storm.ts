// Storm figure: 10,000 alerts over 20 channels, the emulator holding every channel to Slack's
// chat.postMessage pace (1 a second, bursts of 3). Each alert carries `team=tNN` and each channel
// takes one team, so every alert belongs in exactly one channel; group_by alertname,team with 50
// alertnames gives each channel a few groups. What is measured: messages posted, 429s, alerts lost
// (accepted but in no posted message), duplicate posts, and the time until everything is told,
// against the ideal the rate limit allows.
import type { RecordedCall } from '../test/emulator/index.js';
import { INSTALL_CHANNEL, startBenchHerald, WORKSPACE, type BenchHerald } from './herald.js';
import { newAlerts, webhookPayload, type BenchAlert } from './payloads.js';
import { pollUntil } from './processes.js';
import type { BenchSettings } from './settings.js';

export const STORM_CHANNELS = 20;
/** Alertmanager sends one group per notification; a big group comes in pieces of this many. */
const ALERTS_PER_REQUEST = 100;
const GROUP_WAIT_SECONDS = 1;
const GROUP_INTERVAL_SECONDS = 5;
/** The emulator's pace (its default, Slack's documented one for chat.postMessage). */
export const SLACK_RATE = { perSecond: 1, burst: 3 };

export interface StormFigure {
  alerts: number;
  channels: number;
  groups: number;
  /** Alerts answered 202, and requests refused or failed (a sender would retry those). */
  accepted: number;
  refusedRequests: number;
  ingestSeconds: number;
  parentPosts: number;
  updates: number;
  replies: number;
  rateLimited: number;
  lost: number;
  duplicates: number;
  deadLetters: number;
  /**
   * From the first request until Slack answered the last call that told the channels, once the
   * database confirms nothing is left to tell; null if that did not happen by the deadline.
   */
  drainSeconds: number | null;
  /** From the first request until the bench's poll of the database (every 250 ms) found everything told. */
  confirmedSeconds: number | null;
  /** group_wait, then one call a second to the busiest channel. */
  idealSeconds: number;
  busiestChannelCalls: number;
  problems: string[];
}

const channelId = (team: number) => (team === 1 ? INSTALL_CHANNEL : `C0TEAM${String(team).padStart(2, '0')}`);
const teamLabel = (team: number) => `t${String(team).padStart(2, '0')}`;

/** The 20 channels, in the emulator and as Herald's Channel rows, and the storm's grouping. */
async function prepare(herald: BenchHerald): Promise<void> {
  const db = herald.observer.prisma;
  const bot = herald.emulator.botUserId(WORKSPACE);
  await db.installation.update({
    where: { id: WORKSPACE },
    data: { groupBy: 'alertname,team', groupWaitSeconds: GROUP_WAIT_SECONDS, groupIntervalSeconds: GROUP_INTERVAL_SECONDS },
  });
  for (let team = 1; team <= STORM_CHANNELS; team++) {
    const id = channelId(team);
    const filters = `team=${teamLabel(team)}`;
    const existing = await db.channel.findUnique({ where: { installationId_channelId: { installationId: WORKSPACE, channelId: id } } });
    if (existing) {
      await db.channel.update({ where: { id: existing.id }, data: { filters } });
      continue;
    }
    herald.emulator.addChannel(WORKSPACE, { id, name: `alerts-${teamLabel(team)}`, members: ['U0ADMIN', ...(bot ? [bot] : [])] });
    const taken = await db.channel.findMany({ where: { installationId: WORKSPACE }, select: { slot: true } });
    const slot = Math.max(0, ...taken.map((c) => c.slot)) + 1;
    await db.channel.create({ data: { installationId: WORKSPACE, channelId: id, name: `alerts-${teamLabel(team)}`, addedBy: 'U0ADMIN', slot, filters } });
  }
}

/**
 * The storm's requests: alertname i belongs to team (i mod 20) + 1, and its alerts come in pieces of
 * 100, interleaved as many notifications arriving together would be: every group's first piece, then
 * every group's second, …
 */
function stormRequests(alerts: number, alertnames: number): BenchAlert[][] {
  const perName = Math.floor(alerts / alertnames);
  const pieces: BenchAlert[][][] = [];
  for (let i = 0; i < alertnames; i++) {
    const count = perName + (i < alerts % alertnames ? 1 : 0);
    const labels = { alertname: `Storm${String(i).padStart(3, '0')}`, team: teamLabel((i % STORM_CHANNELS) + 1), severity: 'critical' };
    const group = newAlerts(count, labels, `${labels.alertname} for team ${labels.team}`);
    const own: BenchAlert[][] = [];
    for (let from = 0; from < group.length; from += ALERTS_PER_REQUEST) own.push(group.slice(from, from + ALERTS_PER_REQUEST));
    pieces.push(own);
  }
  const requests: BenchAlert[][] = [];
  for (let k = 0; pieces.some((own) => k < own.length); k++) for (const own of pieces) if (k < own.length) requests.push(own[k] as BenchAlert[]);
  return requests;
}

async function send(herald: BenchHerald, requests: BenchAlert[][], concurrency: number): Promise<{ accepted: number; refused: number }> {
  let next = 0;
  let accepted = 0;
  let refused = 0;
  const worker = async () => {
    while (next < requests.length) {
      const alerts = requests[next++] as BenchAlert[];
      const response = await fetch(`${herald.url}/alerts/alertmanager`, {
        method: 'POST',
        headers: { authorization: `Bearer ${herald.token}`, 'content-type': 'application/json' },
        body: webhookPayload(alerts, ['alertname', 'team']),
      }).catch(() => null);
      if (response?.status === 202) accepted += ((await response.json()) as { accepted: number }).accepted;
      else {
        refused += 1;
        await response?.text();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { accepted, refused };
}

/** True once nothing is left to tell: every alert filed, every group's latest state shown, the outbox empty. */
async function drained(herald: BenchHerald): Promise<boolean> {
  const db = herald.observer.prisma;
  const [unfiled, pending, unshown] = await Promise.all([
    db.incomingAlert.count({ where: { processedAt: null } }),
    db.outboxMessage.count({ where: { deadAt: null } }),
    db.alertGroup.findMany({ select: { messageTs: true, version: true, sentVersion: true } }),
  ]);
  if (unfiled > 0 || pending > 0 || unshown.length === 0) return false;
  if (unshown.some((group) => group.messageTs === null || group.sentVersion < group.version)) return false;
  return (await untold(herald)).length === 0;
}

/** Firing alerts of a group that its channel has not been told of. */
async function untold(herald: BenchHerald): Promise<string[]> {
  const groups = await herald.observer.prisma.alertGroup.findMany({ select: { notifiedFiring: true, alerts: { select: { fingerprint: true, status: true } } } });
  return groups.flatMap((group) => {
    const told = new Set(JSON.parse(group.notifiedFiring) as string[]);
    return group.alerts.filter((alert) => alert.status === 'firing' && !told.has(alert.fingerprint)).map((alert) => alert.fingerprint);
  });
}

/** A call that shows something in a channel: a post, an update or a thread reply. */
const isMessageCall = (call: RecordedCall) => call.method === 'chat.postMessage' || call.method === 'chat.update';
/** …that Slack accepted. */
const isToldCall = (call: RecordedCall) => isMessageCall(call) && call.status === 200 && call.response.ok === true;
const isParent = (call: RecordedCall) => isToldCall(call) && call.method === 'chat.postMessage' && call.args.thread_ts === undefined;

export async function measureStorm(settings: BenchSettings): Promise<StormFigure> {
  log(`Storm: ${settings.stormAlerts} alerts, ${settings.stormAlertnames} alertnames, ${STORM_CHANNELS} channels`);
  const herald = await startBenchHerald({ label: 'the storm', kind: 'sqlite', postgresUrl: null, emulator: { rateLimit: SLACK_RATE } });
  try {
    await prepare(herald);
    const requests = stormRequests(settings.stormAlerts, settings.stormAlertnames);
    const since = herald.emulator.calls.length;
    const started = Date.now();
    const { accepted, refused } = await send(herald, requests, settings.connections);
    const ingestSeconds = (Date.now() - started) / 1000;
    log(`  accepted ${accepted} alerts in ${ingestSeconds.toFixed(1)} s (${refused} requests refused)`);
    const done = await pollUntil(async () => ((await drained(herald)) ? Date.now() : null), settings.deadlineSeconds * 1000, 250);
    const calls = herald.emulator.calls.slice(since);
    const lastTold = Math.max(started, ...calls.filter(isToldCall).map((call) => call.at));
    const drainSeconds = done === null ? null : (lastTold - started) / 1000;
    const confirmedSeconds = done === null ? null : (done - started) / 1000;
    log(`  ${drainSeconds === null ? `not drained after ${settings.deadlineSeconds} s` : `last call that told at ${drainSeconds.toFixed(2)} s, confirmed drained at ${confirmedSeconds?.toFixed(2)} s after the first request`}`);
    logTimeline(calls, started);
    return { ...(await verify(herald, calls, settings, accepted)), accepted, refusedRequests: refused, ingestSeconds, drainSeconds, confirmedSeconds };
  } finally {
    await herald.stop();
  }
}

/** Everything except the timings, from the emulator's calls and Herald's database. */
async function verify(herald: BenchHerald, calls: RecordedCall[], settings: BenchSettings, accepted: number): Promise<Omit<StormFigure, 'accepted' | 'refusedRequests' | 'ingestSeconds' | 'drainSeconds' | 'confirmedSeconds'>> {
  const db = herald.observer.prisma;
  const problems: string[] = [];
  const channels = await db.channel.findMany({ where: { installationId: WORKSPACE } });
  const slackChannelOf = new Map(channels.map((c) => [c.id, c.channelId]));
  const groups = await db.alertGroup.findMany({ select: { channelRowId: true, messageTs: true, notifiedFiring: true } });

  // Duplicates: parent messages that are not the message of any group (a group posted twice).
  const groupTs = new Set(groups.filter((g) => g.messageTs !== null).map((g) => `${slackChannelOf.get(g.channelRowId)} ${g.messageTs}`));
  const parents = calls.filter(isParent);
  const duplicates = parents.filter((call) => !groupTs.has(`${call.args.channel} ${call.response.ts}`)).length;

  // Lost: accepted alerts not told in any posted message that still exists in Slack.
  const existing = new Set(herald.emulator.messages().map((m) => `${m.channel} ${m.ts}`));
  const told = new Set<string>();
  for (const group of groups) {
    if (group.messageTs === null || !existing.has(`${slackChannelOf.get(group.channelRowId)} ${group.messageTs}`)) continue;
    for (const fingerprint of JSON.parse(group.notifiedFiring) as string[]) told.add(fingerprint);
  }
  const incoming = await db.incomingAlert.findMany({ select: { fingerprint: true, processedAt: true } });
  // Every alert has a fingerprint of its own; rows missing from the database count as lost too.
  const lost = new Set(incoming.filter((row) => !told.has(row.fingerprint)).map((row) => row.fingerprint)).size + Math.max(0, accepted - incoming.length);
  const unprocessed = incoming.filter((row) => row.processedAt === null).length;
  if (unprocessed > 0) problems.push(`${unprocessed} accepted alerts never filed`);

  const shown = calls.filter(isToldCall);
  const perChannel = new Map<string, number>();
  for (const call of shown) {
    const channel = String(call.args.channel);
    perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
  }
  const busiest = Math.max(0, ...perChannel.values());
  const failed = calls.filter((call) => call.status !== 200 && call.status !== 429);
  if (failed.length > 0) problems.push(`${failed.length} Slack calls failed (${[...new Set(failed.map((c) => `${c.method} ${c.status}`))].join(', ')})`);
  const notOk = calls.filter((call) => call.status === 200 && call.response.ok !== true);
  if (notOk.length > 0) problems.push(`${notOk.length} Slack calls answered ok=false (${[...new Set(notOk.map((c) => `${c.method} ${c.response.error}`))].join(', ')})`);
  return {
    alerts: settings.stormAlerts,
    channels: STORM_CHANNELS,
    groups: groups.length,
    parentPosts: parents.length,
    updates: shown.filter((call) => call.method === 'chat.update').length,
    replies: shown.filter((call) => call.method === 'chat.postMessage' && call.args.thread_ts !== undefined).length,
    rateLimited: calls.filter((call) => call.status === 429).length,
    lost,
    duplicates,
    deadLetters: await db.outboxMessage.count({ where: { deadAt: { not: null } } }),
    idealSeconds: GROUP_WAIT_SECONDS + Math.max(0, busiest - 1) / SLACK_RATE.perSecond,
    busiestChannelCalls: busiest,
    problems,
  };
}

/** Progress: when each Slack call was answered, seconds after the first request, for the channels that took most. */
function logTimeline(calls: RecordedCall[], started: number): void {
  const byChannel = new Map<string, string[]>();
  for (const call of calls) {
    if (!isMessageCall(call)) continue;
    const times = byChannel.get(String(call.args.channel)) ?? [];
    times.push(`${call.method === 'chat.update' ? 'update' : 'post'}${call.status === 200 ? '' : ` ${call.status}`} ${((call.at - started) / 1000).toFixed(2)}`);
    byChannel.set(String(call.args.channel), times);
  }
  const busiest = [...byChannel].sort((a, b) => b[1].length - a[1].length).slice(0, 3);
  for (const [channel, times] of busiest) log(`  ${channel}: ${times.join(', ')} s`);
}

function log(line: string): void {
  console.error(line);
}
